/// Spearman's rank correlation: Pearson correlation of the ranks, with tied
/// values given their average rank. In -1…1; `nil` when fewer than two
/// points or when either side is constant (the correlation is undefined).
public func spearman(_ a: [Double], _ b: [Double]) -> Double? {
    precondition(a.count == b.count, "spearman: samples of unequal length")
    guard a.count >= 2 else { return nil }
    return pearson(ranks(a), ranks(b))
}

/// Pearson correlation; `nil` when either side has zero variance.
public func pearson(_ a: [Double], _ b: [Double]) -> Double? {
    precondition(a.count == b.count, "pearson: samples of unequal length")
    let n = Double(a.count)
    guard a.count >= 2 else { return nil }
    let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for i in a.indices {
        let da = a[i] - ma, db = b[i] - mb
        sab += da * db
        saa += da * da
        sbb += db * db
    }
    guard saa > 0, sbb > 0 else { return nil }
    return sab / (saa * sbb).squareRoot()
}

/// 1-based ranks, ties sharing their average rank.
public func ranks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var result = [Double](repeating: 0, count: values.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
        let average = Double(i + j) / 2 + 1
        for k in i...j { result[order[k]] = average }
        i = j + 1
    }
    return result
}
