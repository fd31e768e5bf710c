import PraaSDB

/// A seeded pseudo-random generator, so a failing run can be repeated with the
/// seed it reports: the library's SplitMix64, which the topology generator uses.
public typealias SeededGenerator = SplitMix64
