import ArgumentParser

/// `feast stream` (placeholder until its issue lands).
struct Stream: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("feast stream is not implemented yet") }
}
