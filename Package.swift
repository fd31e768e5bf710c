// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "praas-db",
    products: [
        .library(name: "PraaSDB", targets: ["PraaSDB"]),
        .executable(name: "praas-db", targets: ["praas-db"]),
    ],
    targets: [
        // Debian's libsqlite3, linked as a system library.
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),

        // Turns Migrations/*.sql and Topologies/*.json into Swift source at build time,
        // so the binary carries them and those files stay the only copy.
        .executableTarget(name: "praas-embed"),
        .plugin(
            name: "EmbedResources",
            capability: .buildTool(),
            dependencies: ["praas-embed"]
        ),

        // Near-miss matching for "did you mean" suggestions, shared by the library
        // (node and container names) and the argument parser (commands and options).
        .target(name: "Suggestions"),

        .target(
            name: "PraaSDB",
            dependencies: ["CSQLite", "Suggestions"],
            plugins: ["EmbedResources"]
        ),
        .target(name: "ArgumentParsing", dependencies: ["Suggestions"]),
        .executableTarget(
            name: "praas-db",
            dependencies: ["PraaSDB", "ArgumentParsing"]
        ),

        // Helpers both test targets share: temporary folders, running programs, seeded randomness.
        .target(name: "TestSupport", dependencies: ["PraaSDB"], path: "Tests/TestSupport"),
        .testTarget(name: "PraaSDBTests", dependencies: ["PraaSDB", "TestSupport"]),
        .testTarget(name: "ArgumentParsingTests", dependencies: ["ArgumentParsing"]),
        .testTarget(name: "CLITests", dependencies: ["praas-db", "PraaSDB", "TestSupport"]),
    ]
)
