import ArgumentParser

/// `feast render` (placeholder until its issue lands).
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(not yet implemented)")
    func run() throws { throw ValidationError("feast render is not implemented yet") }
}
