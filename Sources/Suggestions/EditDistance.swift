/// Near-miss matching for "did you mean ...?" suggestions.
public enum EditDistance {
    /// The number of single-character insertions, deletions, substitutions and
    /// swaps of two adjacent characters that turn `source` into `target` (the
    /// optimal string alignment distance). Letter case counts as a difference of
    /// zero, so `n13` is at distance 0 from `N13`.
    public static func distance(_ source: String, _ target: String) -> Int {
        let a = Array(source.lowercased())
        let b = Array(target.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }

        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// Returns the candidate closest to `name`, if one is close enough to be a
    /// likely typo: at most one edit for names of up to four characters, two for
    /// longer ones. Ties go to the earlier candidate. An exact match is not a
    /// suggestion, so it is never returned, and an empty name gets none.
    public static func closest<Candidates: Sequence>(to name: String, among candidates: Candidates) -> String?
    where Candidates.Element == String {
        guard !name.isEmpty else { return nil }
        let limit = name.count <= 4 ? 1 : 2
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != name {
            // Names whose lengths differ by more than the limit cannot be within it.
            guard abs(candidate.count - name.count) <= limit else { continue }
            let distance = distance(name, candidate)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }
}
