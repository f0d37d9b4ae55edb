import FeastEvents

/// A feature configuration parsed from a short string (the CLI's `--features`).
///
/// Grammar (no spaces; options in any order, each at most once):
///
///     spec    := kind | kind ":" options | options        (kind omitted = hist)
///     kind    := "hist" | "pixels"
///     options := option (("," | ":") option)*
///     option  := "polarity" | "polarity=on" | "polarity=off"
///              | "pool=" K ("+" K)*  hist only: K×K grid of cells over the sensor (K >= 1, default 1);
///                               several grids joined by "+" (a spatial pyramid, e.g. 1+2+4) concatenate
///                               their histograms, coarsest first as written
///              | "block=" B     pixels only: B×B pixel blocks (B >= 1, default 1)
///              | "bins=" T      T time bins (T >= 1, default 1)
///              | "bin=" US      bin width in µs (> 0, default 100000: one N-MNIST saccade)
///              | "norm=" ("none" | "l1" | "l2" | "sqrt")     default none
///
/// Polarity split defaults to off for `hist` and on for `pixels` (the
/// per-pixel × polarity baseline). Examples: `hist`, `hist:polarity`,
/// `hist:polarity,pool=3`, `pixels`, `pixels:block=2`, `norm=l1`,
/// `hist:bins=3,norm=l2`, `hist:pool=1+2+4,norm=sqrt`. ``description`` gives the canonical form, which
/// parses back to the same spec.
public struct FeatureSpec: Sendable, Hashable, CustomStringConvertible {
    /// Which extractor.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Win histogram of FEAST neurons (``WinHistogramExtractor``).
        case hist
        /// Raw-event per-pixel counts (``PixelCountExtractor``).
        case pixels
    }

    public var kind: Kind
    public var splitPolarity: Bool
    /// hist: cells per side of each pooling grid, in feature order (one
    /// entry = plain pooling; several = a spatial pyramid). Never empty.
    public var pools: [Int]
    /// hist: cells per side when there is one grid (the finest of a pyramid);
    /// setting it leaves one grid.
    public var pool: Int {
        get { pools.max() ?? 1 }
        set { pools = [newValue] }
    }
    /// pixels: block side in pixels.
    public var block: Int
    public var timeBins: Int
    /// µs.
    public var binWidth: Int64
    public var normalisation: FeatureNormalisation

    public init(kind: Kind = .hist, splitPolarity: Bool? = nil, pool: Int = 1, pools: [Int]? = nil, block: Int = 1,
                timeBins: Int = 1, binWidth: Int64 = 100_000, normalisation: FeatureNormalisation = .none) {
        self.kind = kind
        self.splitPolarity = splitPolarity ?? (kind == .pixels)
        self.pools = pools.flatMap { $0.isEmpty ? nil : $0 } ?? [pool]
        self.block = block
        self.timeBins = timeBins
        self.binWidth = binWidth
        self.normalisation = normalisation
    }

    /// Parses `text` by the grammar above; errors say which part is wrong.
    public init(parsing text: String) throws {
        func fail(_ reason: String) -> FeastLearningError { .invalidFeatureSpec(spec: text, reason: reason) }
        guard !text.isEmpty else { throw fail("empty; expected hist or pixels, optionally followed by :options") }
        var rest = Substring(text)
        var kind = Kind.hist
        let head = rest.prefix { $0 != ":" && $0 != "," }
        if let k = Kind(rawValue: String(head)) {
            kind = k
            rest = rest.dropFirst(head.count)
            if let first = rest.first {
                guard first == ":" else { throw fail("expected ':' after '\(head)'") }
                rest = rest.dropFirst()
                guard !rest.isEmpty else { throw fail("nothing after ':'; expected options") }
            }
        } else if !head.contains("=") && head != "polarity" {
            throw fail("unknown kind '\(head)'; expected hist or pixels")
        }
        var polarity: Bool?
        var pools: [Int]?, block: Int?, bins: Int?, width: Int64?, norm: FeatureNormalisation?
        var seen = Set<String>()
        if !rest.isEmpty {
            for token in rest.split(separator: ",", omittingEmptySubsequences: false).flatMap({ $0.split(separator: ":", omittingEmptySubsequences: false) }) {
                guard !token.isEmpty else { throw fail("empty option (two separators in a row or a trailing separator)") }
                let parts = token.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(parts[0])
                let value = parts.count == 2 ? String(parts[1]) : nil
                guard seen.insert(key).inserted else { throw fail("option '\(key)' given twice") }
                func positive(_ v: String?) throws -> Int {
                    guard let v, let n = Int(v), n >= 1 else { throw fail("\(key) must be an integer >= 1, got '\(v ?? "")'") }
                    return n
                }
                switch key {
                case "polarity":
                    switch value {
                    case nil, "on": polarity = true
                    case "off": polarity = false
                    default: throw fail("polarity must be on or off, got '\(value!)'")
                    }
                case "pool":
                    guard kind == .hist else { throw fail("pool= applies to hist; use block= for pixels") }
                    let grids = (value ?? "").split(separator: "+", omittingEmptySubsequences: false)
                    pools = try grids.map { try positive(String($0)) }
                    guard Set(pools!).count == pools!.count else { throw fail("pool= lists a grid twice, got '\(value!)'") }
                case "block":
                    guard kind == .pixels else { throw fail("block= applies to pixels; use pool= for hist") }
                    block = try positive(value)
                case "bins": bins = try positive(value)
                case "bin": width = Int64(try positive(value))
                case "norm":
                    guard let v = value, let n = FeatureNormalisation(rawValue: v) else {
                        throw fail("norm must be none, l1, l2 or sqrt, got '\(value ?? "")'")
                    }
                    norm = n
                default:
                    throw fail("unknown option '\(key)'; expected polarity, pool=K[+K...], block=B, bins=T, bin=MICROSECONDS, norm=none|l1|l2|sqrt")
                }
            }
        }
        self.init(kind: kind, splitPolarity: polarity, pools: pools ?? [1], block: block ?? 1,
                  timeBins: bins ?? 1, binWidth: width ?? 100_000, normalisation: norm ?? .none)
    }

    /// The extractor for a network of `neurons` neurons (ignored by
    /// `pixels`) on `geometry`. Throws when the pooling grid is finer than
    /// the sensor.
    public func makeExtractor(neurons: Int, geometry: SensorGeometry = .nmnist) throws -> any FeatureExtractor {
        switch kind {
        case .hist:
            guard neurons >= 1 else { throw FeastLearningError.invalidFeatureSpec(spec: description, reason: "needs a network with at least one neuron, got \(neurons)") }
            guard pool <= min(geometry.width, geometry.height) else {
                throw FeastLearningError.invalidFeatureSpec(spec: description, reason: "pool=\(pool) is finer than the \(geometry) sensor")
            }
            return WinHistogramExtractor(neurons: neurons, geometry: geometry, splitPolarity: splitPolarity, pools: pools,
                                         timeBins: timeBins, binWidth: binWidth, normalisation: normalisation)
        case .pixels:
            return PixelCountExtractor(geometry: geometry, splitPolarity: splitPolarity, block: block,
                                       timeBins: timeBins, binWidth: binWidth, normalisation: normalisation)
        }
    }

    /// Canonical text: kind, then only the options that differ from defaults.
    public var description: String {
        var opts = [String]()
        if splitPolarity != (kind == .pixels) { opts.append(splitPolarity ? "polarity" : "polarity=off") }
        if kind == .hist && pools != [1] { opts.append("pool=" + pools.map(String.init).joined(separator: "+")) }
        if kind == .pixels && block != 1 { opts.append("block=\(block)") }
        if timeBins != 1 { opts.append("bins=\(timeBins)") }
        if binWidth != 100_000 { opts.append("bin=\(binWidth)") }
        if normalisation != .none { opts.append("norm=\(normalisation.rawValue)") }
        return opts.isEmpty ? kind.rawValue : "\(kind.rawValue):\(opts.joined(separator: ","))"
    }
}
