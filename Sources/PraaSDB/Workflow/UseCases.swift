/// A scripted use of praas-db: a container and the requests that place it.
public struct UseCase: Sendable {
    public let title: String
    /// What the customer wants, in a sentence.
    public let purpose: String
    public let container: String
    public let requests: [ChangeRequest]
}

extension UseCase {
    /// The three use cases on the built-in Oslo topology, in the order the demo
    /// runs them on one database. Each container needs 256 MB and 0.2 cores, and
    /// all three fit at once.
    public static let oslo: [UseCase] = [
        UseCase(
            title: "HBO media cache",
            purpose: "A new season is out: cache it on every node down to depth 4.",
            container: "hbo",
            requests: [
                .register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"),
                .balloon(container: "hbo", depth: 4),
            ]),
        UseCase(
            title: "Lillestrom stream cache",
            purpose: "The football club streams a match to the Lillestrom area: fog out to its nodes.",
            container: "Lillestrom",
            requests: [
                .register(container: "Lillestrom", memoryMB: 256, millicores: 200, customer: "Lillestrom"),
                .fog(container: "Lillestrom", nodes: ["N13", "N28", "N29", "N30", "N31", "N46", "N47", "N48", "N49", "N50"]),
            ]),
        UseCase(
            title: "Fortnite game servers",
            purpose: "Players far apart need low latency: fog out to the nodes where they are.",
            container: "Fortnite",
            requests: [
                .register(container: "Fortnite", memoryMB: 256, millicores: 200, customer: "Epic games"),
                .fog(container: "Fortnite", nodes: ["N76", "N19", "N20", "N10", "N12", "N31", "N66", "N16"]),
            ]),
    ]
}
