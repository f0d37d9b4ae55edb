import ArgumentParser

/// `feast info` (placeholder until its issue lands).
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("feast info is not implemented yet") }
}
