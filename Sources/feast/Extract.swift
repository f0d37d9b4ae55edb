import ArgumentParser

/// `feast extract` (placeholder until its issue lands).
struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("feast extract is not implemented yet") }
}
