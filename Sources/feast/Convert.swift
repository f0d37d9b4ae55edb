import ArgumentParser

/// `feast convert` (placeholder until its issue lands).
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("feast convert is not implemented yet") }
}
