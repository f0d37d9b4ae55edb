import ArgumentParser

/// `feast train` (placeholder until its issue lands).
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("feast train is not implemented yet") }
}
