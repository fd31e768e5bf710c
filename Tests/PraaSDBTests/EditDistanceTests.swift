import Suggestions
import Testing

@Suite struct EditDistanceTests {
    @Test(arguments: [
        ("", "", 0),
        ("", "abc", 3),
        ("abc", "", 3),
        ("balloon", "balloon", 0),
        ("ballon", "balloon", 1),
        ("balloom", "balloon", 1),
        ("ablloon", "balloon", 1),
        ("ca", "abc", 3),
        ("kitten", "sitting", 3),
        ("n13", "N13", 0),
        ("LILLESTRØM", "lillestrøm", 0),
        ("N13", "N31", 1),
        ("N1", "N10", 1),
        ("--dept", "--depth", 1),
        ("flaw", "lawn", 2),
        ("🚀a", "a🚀", 1),
    ])
    func distanceCountsEdits(source: String, target: String, expected: Int) {
        #expect(EditDistance.distance(source, target) == expected)
    }

    @Test func distanceIsSymmetric() {
        let words = ["", "a", "ab", "ba", "init", "import", "export", "N13", "N31", "nodes"]
        for first in words {
            for second in words {
                #expect(EditDistance.distance(first, second) == EditDistance.distance(second, first))
            }
        }
    }

    @Test(arguments: [
        ("ballon", ["init", "balloon", "fog"], "balloon"),
        ("statsu", ["status", "nodes"], "status"),
        ("improt", ["import", "export"], "import"),
        ("expotr", ["import", "export"], "export"),
        ("nods", ["nodes", "containers"], "nodes"),
        ("N13", ["N31", "N13"], "N31"),
        ("n13", ["N13"], "N13"),
        ("fgo", ["fog", "foo"], "fog"),
    ] as [(String, [String], String?)])
    func closestFindsLikelyTypo(name: String, candidates: [String], expected: String?) {
        #expect(EditDistance.closest(to: name, among: candidates) == expected)
    }

    @Test(arguments: [
        ("xyz", ["init", "import"]),
        ("ab", ["abcd"]),
        ("nd", ["nodes"]),
        ("status", ["status"]),
        ("exprt", ["init"]),
    ] as [(String, [String])])
    func closestIgnoresDistantNames(name: String, candidates: [String]) {
        #expect(EditDistance.closest(to: name, among: candidates) == nil)
    }

    @Test func closestAllowsTwoEditsAboveFourCharacters() {
        #expect(EditDistance.closest(to: "abcd", among: ["abxy"]) == nil)
        #expect(EditDistance.closest(to: "abcde", among: ["abxye"]) == "abxye")
        #expect(EditDistance.closest(to: "abcde", among: ["axyze"]) == nil)
    }

    @Test func closestPrefersNearerThenEarlier() {
        #expect(EditDistance.closest(to: "nodez", among: ["nodxx", "nodes"]) == "nodes")
        #expect(EditDistance.closest(to: "nodez", among: ["noder", "nodes"]) == "noder")
    }
}
