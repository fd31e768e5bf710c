import Foundation
import Testing

/// `tree` and `graph` on the demo database, through the real binary.
@Suite struct PictureTests {
    @Test func treeOfSubtreeIsExact() throws {
        let demo = try DemoDatabase()
        let result = try demo.run(["tree", "--root", "N13", "--container", "Lillestrom", "--color", "never"])
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        #expect(
            result.standardOutput == """
                  NODE         MEMORY          CPU             CONTAINERS
                * N13          ███░░░░░   38%  █░░░░░░░   15%  hbo Lillestrom Fortnite  [Lillestrom: fog target]
                * ├── N28      ███░░░░░   33%  █░░░░░░░   13%  hbo Lillestrom  [Lillestrom: fog target]
                * │   ├── N46  ████░░░░   50%  ██░░░░░░   20%  hbo Lillestrom  [Lillestrom: fog target]
                * │   └── N47  ████░░░░   50%  ██░░░░░░   20%  hbo Lillestrom  [Lillestrom: fog target]
                * ├── N29      ███░░░░░   33%  █░░░░░░░   13%  hbo Lillestrom  [Lillestrom: fog target]
                * │   └── N48  ████░░░░   50%  ██░░░░░░   20%  hbo Lillestrom  [Lillestrom: fog target]
                * ├── N30      ███░░░░░   33%  █░░░░░░░   13%  hbo Lillestrom  [Lillestrom: fog target]
                * │   └── N49  ████░░░░   50%  ██░░░░░░   20%  hbo Lillestrom  [Lillestrom: fog target]
                * └── N31      ████░░░░   50%  ██░░░░░░   20%  hbo Lillestrom Fortnite  [Lillestrom: fog target]
                *     └── N50  ████░░░░   50%  ██░░░░░░   20%  hbo Lillestrom  [Lillestrom: fog target]

                """)
    }

    @Test func treeDepthCountsHiddenChildren() throws {
        let demo = try DemoDatabase()
        let result = try demo.run(["tree", "--depth", "1", "--ascii"])
        #expect(result.exitCode == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines[1].hasPrefix("N0 "))
        #expect(lines[2].hasPrefix("|-- N1 "))
        #expect(lines[2].hasSuffix("hbo Fortnite  (2 children not shown)"))
        #expect(lines[10].hasPrefix("`-- N9 "))
        #expect(lines[10].hasSuffix("hbo  (1 child not shown)"))
        #expect(!result.standardOutput.contains("█"))
    }

    @Test func treeColourFollowsOption() throws {
        let demo = try DemoDatabase()
        let always = try demo.run(["tree", "--depth", "1", "--container", "hbo", "--color", "always"])
        #expect(always.standardOutput.contains("\u{1B}["))
        // Standard output is a file here, so auto means no colour.
        let auto = try demo.run(["tree", "--depth", "1", "--container", "hbo"])
        #expect(!auto.standardOutput.contains("\u{1B}["))
        let plain = try demo.run(["tree", "--depth", "1", "--container", "hbo", "--color", "never"])
        #expect(auto.standardOutput == plain.standardOutput)
    }

    /// `script` runs the command on a pseudo-terminal, so auto colour turns on
    /// unless NO_COLOR is set.
    @Test(.enabled(if: Tools.path(of: "script") != nil))
    func treeColourOnTerminalHonoursNoColor() throws {
        let demo = try DemoDatabase()
        let command = "\(CLI.binary) --db demo.db tree --depth 1"
        let coloured = try Tools.run("script", ["-qec", command, "/dev/null"], in: demo.directory.path, environment: ["NO_COLOR": "", "TERM": "xterm"])
        #expect(coloured.exitCode == 0)
        #expect(coloured.standardOutput.contains("\u{1B}[32m"))
        let plain = try Tools.run("script", ["-qec", command, "/dev/null"], in: demo.directory.path, environment: ["NO_COLOR": "1", "TERM": "xterm"])
        #expect(plain.exitCode == 0)
        #expect(!plain.standardOutput.contains("\u{1B}["))
    }

    @Test func treeJSONNestsChildren() throws {
        let demo = try DemoDatabase()
        let result = try demo.run(["tree", "--depth", "2", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let root = object?["tree"] as? [String: Any]
        #expect(root?["name"] as? String == "N0")
        let children = root?["children"] as? [[String: Any]] ?? []
        #expect(children.map { $0["name"] as? String } == (1...9).map { "N\($0)" })
        let grandchildren = children.flatMap { $0["children"] as? [[String: Any]] ?? [] }
        #expect(grandchildren.count == 14)
        #expect(grandchildren.allSatisfy { ($0["children"] as? [Any])?.isEmpty == true })
    }

    @Test func treeUnknownRootIsNotFound() throws {
        let demo = try DemoDatabase()
        let result = try demo.run(["tree", "--root", "N999"])
        #expect(result.exitCode == 3)
        #expect(result.standardError.hasPrefix("Error: node \"N999\" not found"))
    }

    // MARK: - graph

    /// The DOT of the Fortnite fog is fixed: a change to the drawing shows up as a
    /// diff of `Tests/CLITests/Expected/fortnite-fog.dot`.
    @Test func fortniteFogDOTMatchesExpectedFile() throws {
        let demo = try DemoDatabase()
        let result = try demo.run(["graph", "--container", "Fortnite"])
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        let file = JSONOutputTests.expectedFolder.appendingPathComponent("fortnite-fog.dot")
        if ProcessInfo.processInfo.environment["PRAAS_UPDATE_EXPECTED"] == "1" {
            try result.standardOutput.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        #expect(result.standardOutput == (try String(contentsOf: file, encoding: .utf8)))
    }

    @Test func graphIsDeterministic() throws {
        let first = try DemoDatabase().run(["graph", "--container", "hbo", "--container", "Lillestrom"])
        let second = try DemoDatabase().run(["graph", "--container", "hbo", "--container", "Lillestrom"])
        #expect(first.exitCode == 0)
        #expect(first.standardOutput == second.standardOutput)
        #expect(first.standardOutput.contains("subgraph \"cluster_balloon_0\""))
        // N13 holds both, striped in both colours, and is one of Lillestrom's fog targets.
        #expect(first.standardOutput.contains("\"N13\" [label=\"N13\\n768/2048 MB\\n0.6/4 cores\\nhbo: balloon\\nLillestrom: fog target\", style=\"striped\", fillcolor=\"#F5D199:#BBE1F6\", peripheries=2];"))
    }

    @Test func graphHeatMapColoursByLatency() throws {
        let demo = try DemoDatabase()
        let result = try demo.run(["graph", "--container", "Fortnite", "--proximity"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("latency to Fortnite"))
        // N76 is a fog target with households: 5 ms, the nearest band.
        #expect(result.standardOutput.contains("\"N76\" [label=\"N76\\n256/512 MB\\n0.2/1 cores\\n292 households\\nFortnite: fog target\\n5 ms\", fillcolor=\"#1A9850\""))
        #expect(result.standardOutput.contains("\"legend_1\" [label=\"households' latency 5 ms\""))
        #expect(result.standardOutput.contains("[label=\"no households\", fillcolor=\"#F2F2F2\"]"))
    }

    @Test func graphProximityNeedsOneContainer() throws {
        let demo = try DemoDatabase()
        let result = try demo.run(["graph", "--proximity"])
        #expect(result.exitCode == 64)
        #expect(result.standardError.hasPrefix("Error: --proximity colours by the latency to one container; give exactly one --container\n"))
    }

    /// Without --format, the extension of --output picks the format, in either
    /// case. A file without an extension gets DOT.
    @Test func graphFormatFromExtension() throws {
        let demo = try DemoDatabase()
        for file in ["fortnite.dot", "fortnite.GV", "fortnite"] {
            let result = try demo.run(["graph", "--container", "Fortnite", "--output", file])
            #expect(result.exitCode == 0, "\(file): \(result.standardError)")
            #expect(result.standardOutput == "Wrote the DOT graph to '\(file)'.\n")
            let text = try String(contentsOfFile: demo.directory.file(file), encoding: .utf8)
            #expect(text.hasPrefix("digraph "), "\(file)")
        }
    }

    @Test(arguments: [
        (["--output", "x.pdf"],
         "'x.pdf' has the extension .pdf, which names no format that graph writes; give the file the extension .dot, .gv, .svg or .png"),
        (["--format", "dot", "--output", "x.pdf"],
         "'x.pdf' has the extension .pdf, which names no format that graph writes; give the file the extension .dot, .gv, .svg or .png"),
        (["--format", "png", "--output", "x.svg"],
         "'--format png' and the extension of 'x.svg', which names svg, cannot be combined; give the file the extension .png, or leave out --format"),
        (["--format", "svg", "--output", "x.gv"],
         "'--format svg' and the extension of 'x.gv', which names dot, cannot be combined; give the file the extension .svg, or leave out --format"),
        (["--format", "dot", "--output", "x.png"],
         "'--format dot' and the extension of 'x.png', which names png, cannot be combined; give the file the extension .dot or .gv, or leave out --format"),
    ])
    func graphRejectsWrongExtension(options: [String], message: String) throws {
        let demo = try DemoDatabase()
        let result = try demo.run(["graph", "--container", "Fortnite"] + options)
        #expect(result.exitCode == 64)
        #expect(result.standardOutput == "")
        #expect(result.standardError.hasPrefix("Error: \(message)\nUsage: praas-db graph "))
        #expect(!FileManager.default.fileExists(atPath: demo.directory.file(options.last!)))
    }

    @Test(.enabled(if: Tools.path(of: "dot") != nil))
    func graphWritesSVGAndPNG() throws {
        let demo = try DemoDatabase()
        let svg = try demo.run(["graph", "--container", "hbo", "--output", "hbo.svg"])
        #expect(svg.exitCode == 0)
        #expect(svg.standardOutput == "Wrote the SVG picture to 'hbo.svg'.\n")
        let svgText = try String(contentsOfFile: demo.directory.file("hbo.svg"), encoding: .utf8)
        #expect(svgText.contains("<svg"))
        #expect(svgText.contains("hbo balloon: depth 0 to 4"))

        let png = try demo.run(["graph", "--container", "hbo", "--format", "png"])
        #expect(png.exitCode == 0)
        #expect(png.standardOutput.utf8.starts(with: [0x89, 0x50, 0x4E, 0x47]) || png.standardOutput.hasPrefix("\u{FFFD}PNG"))

        let pngFile = try demo.run(["graph", "--container", "hbo", "--output", "hbo.PNG"])
        #expect(pngFile.exitCode == 0)
        #expect(pngFile.standardOutput == "Wrote the PNG picture to 'hbo.PNG'.\n")
        let pngBytes = try Data(contentsOf: URL(fileURLWithPath: demo.directory.file("hbo.PNG")))
        #expect(Array(pngBytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }
}
