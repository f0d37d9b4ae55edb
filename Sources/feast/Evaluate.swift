import ArgumentParser

/// `feast evaluate` (placeholder until its issue lands).
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("feast evaluate is not implemented yet") }
}
