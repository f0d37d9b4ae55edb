import ArgumentParser

/// `feast simulate` (placeholder until its issue lands).
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("feast simulate is not implemented yet") }
}
