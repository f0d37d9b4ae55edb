import ArgumentParser

/// `feast size` (placeholder until its issue lands).
struct Size: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("feast size is not implemented yet") }
}
