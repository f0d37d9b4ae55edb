import ArgumentParser

/// `feast demo` (placeholder until its issue lands).
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("feast demo is not implemented yet") }
}
