/// SplitMix64, the 64-bit generator of Steele, Lea and Flood ("Fast Splittable
/// Pseudorandom Number Generators", OOPSLA 2014), with the constants of
/// Vigna's public-domain `splitmix64.c`.
///
/// It is part of praas-db rather than the standard library's generators,
/// because a generated topology must stay byte-identical for a seed across
/// Swift versions and platforms, and the standard library documents no fixed
/// algorithm for `SystemRandomNumberGenerator` or for `Int.random(in:using:)`.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Returns a uniform value in `0..<bound` without modulo bias, by Lemire's
    /// multiply-and-reject method ("Fast Random Integer Generation in an
    /// Interval", ACM TOMACS 2019).
    mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "the bound must be positive")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// Returns a uniform value in `range`.
    mutating func next(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next(below: width))
    }
}
