extension FeastLayer where A == FixedPointArithmetic {
    /// A fixed-point copy of a trained float32 layer: weights rounded to
    /// the nearest weight LSB (saturated), thresholds to the nearest threshold
    /// LSB, for the inference agreement of issue 5 ("the same trained network
    /// quantised"). Counters start at 0.
    public init(quantising float: LayerState, configuration: FixedPointConfiguration) throws {
        guard float.arithmetic == FloatArithmetic.name else {
            throw FeastCoreError.snapshotMismatch(field: "arithmetic", expected: FloatArithmetic.name, found: float.arithmetic)
        }
        let layer = try FeastLayer<FixedPointArithmetic>(parameters: float.parameters, geometry: float.geometry, arithmetic: configuration)
        let c = layer.arithmetic.configuration
        let wOne = Double(1 << c.weightFractionalBits), tOne = Double(1 << c.thresholdFractionalBits)
        var s = layer.state
        guard s.rawWeights.count == float.weights.count, s.rawThresholds.count == float.thresholds.count else {
            throw FeastCoreError.snapshotMismatch(field: "weights", expected: "\(s.rawWeights.count) values", found: "\(float.weights.count)")
        }
        s.rawWeights = float.weights.map {
            Int32(FixedPointMath.fit(Int64((Double($0) * wOne).rounded()), bits: c.weightBits, signed: false, mode: .saturate).value)
        }
        s.rawThresholds = float.thresholds.map {
            Int32(FixedPointMath.fit(Int64((Double($0) * tOne).rounded()), bits: c.thresholdBits, signed: true, mode: .saturate).value)
        }
        try self.init(restoring: s)
    }
}
