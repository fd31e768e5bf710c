import Foundation
import PraaSDB
import Testing
import TestSupport

/// `price`, `prices`, `set-price` and `bill` through the real binary.
///
/// The small tree puts hbo (HBO) on N0 under its balloon and on N1 and N3 under
/// fog, and Fortnite (Epic games) on N0 under its balloon and on N3 by name
/// (micro). At 10 NOK per container-hour that is 5.00 + 11.00 + 12.00 = 28.00
/// for hbo and 5.00 + 22.00 = 27.00 for Fortnite.
@Suite struct PriceCommandTests {
    /// 2026-01-01T00:00:00Z: in the past, so a bill up to a few hours later is
    /// complete whenever the test runs.
    static let start: TimeInterval = 1_767_225_600

    static let setPriceUsage = """
        Usage: praas-db set-price [--base <amount>] [--currency <code>] [--depth0 <multiplier>] [--model <model>] \
        [--depth <d>] [--multiplier <multiplier>] [--from <time>] [--by <name>]
          See 'praas-db set-price --help' for more information.

        """

    /// Creates `praas.db` through the library with a clock the test sets: the
    /// small tree imported at 2026-01-01T00:00Z and the base price raised to 12
    /// NOK at 02:00.
    private func smallTreeWithPriceChange(in directory: TemporaryDirectory) throws {
        directory.write("small.json", Fixtures.smallTree)
        var now = Date(timeIntervalSince1970: Self.start)
        let repository = try Repository.create(
            at: directory.file("praas.db"), options: RepositoryOptions(clock: { now }, actor: "alice"))
        try repository.importState(try StateFileDecoder.decode(contentsOfFile: directory.file("small.json")), source: "small.json")
        now = Date(timeIntervalSince1970: Self.start + 2 * 3600)
        try repository.setPrices(PriceChange(basePriceHundredths: 1200))
    }

    // MARK: - price

    @Test func priceShowsHourlyRates() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let result = try CLI.run(["price"], in: directory.path)

        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("Hourly rates in NOK at ") == true)
        #expect(lines.first?.hasSuffix(
            ", under price list 1 (in force from 1970-01-01T00:00:00.000Z); base price 10.00 per container-hour.") == true)
        #expect(lines.dropFirst().joined(separator: "\n") == """
            CUSTOMER    CONTAINER  MODEL    DEPTH  NODES  MULTIPLIER   RATE  TOTAL
            Epic games  Fortnite   balloon      0      1         0.5   5.00   5.00
            Epic games  Fortnite   micro        2      1         2.2  22.00  22.00
            Epic games  Fortnite   all                 2                     27.00
            HBO         hbo        balloon      0      1         0.5   5.00   5.00
            HBO         hbo        fog          1      1         1.1  11.00  11.00
            HBO         hbo        fog          2      1         1.2  12.00  12.00
            HBO         hbo        all                 3                     28.00
            Total: 55.00 NOK per hour for 2 containers on 5 nodes.

            """)
    }

    @Test func priceAsJSONAndCSV() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)

        let csv = try CLI.run(["price", "--customer", "HBO", "--format", "csv"], in: directory.path)
        #expect(csv.exitCode == 0)
        #expect(csv.standardOutput == [
            "CUSTOMER,CONTAINER,MODEL,DEPTH,NODES,MULTIPLIER,RATE,TOTAL",
            "HBO,hbo,balloon,0,1,0.5,5.00,5.00",
            "HBO,hbo,fog,1,1,1.1,11.00,11.00",
            "HBO,hbo,fog,2,1,1.2,12.00,12.00",
        ].map { $0 + "\r\n" }.joined())

        let json = try CLI.run(["price", "--container", "Fortnite", "--json"], in: directory.path)
        #expect(json.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(object["currency"] as? String == "NOK")
        #expect(object["total"] as? String == "27.00")
        let containers = try #require(object["containers"] as? [[String: Any]])
        #expect(containers.map { $0["container"] as? String } == ["Fortnite"])
        #expect(containers.first?["customer"] as? String == "Epic games")
        let rows = try #require(containers.first?["rows"] as? [[String: Any]])
        #expect(rows.map { $0["model"] as? String } == ["balloon", "micro"])
        #expect(rows.map { $0["depth"] as? Int } == [0, 2])
        #expect(rows.map { $0["rate"] as? String } == ["5.00", "22.00"])
        #expect(rows.map { $0["multiplier"] as? String } == ["0.5", "2.2"])
        let list = try #require(object["price_list"] as? [String: Any])
        #expect(list["base_price"] as? String == "10.00")

        let unknown = try CLI.run(["price", "--container", "hbo2"], in: directory.path)
        #expect(unknown.exitCode == 3)
        #expect(unknown.standardError == "Error: container \"hbo2\" not found; did you mean \"hbo\"?\n")
    }

    // MARK: - set-price and prices

    @Test func setPriceAddsVersionAndHistory() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let result = try CLI.run(
            ["set-price", "--base", "12", "--model", "fog", "--depth", "3", "--multiplier", "1.35", "--by", "bob"],
            in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")

        let history = try CLI.run(["history", "--json"], in: directory.path)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(history.standardOutput.utf8)) as? [String: Any])
        let events = try #require(object["events"] as? [[String: Any]])
        let changed = events.filter { $0["event"] as? String == "price_changed" }
        #expect(changed.count == 1)
        let event = try #require(changed.first)
        let at = try #require(event["at"] as? String)
        #expect(event["actor"] as? String == "bob")
        let details = try #require(event["details"] as? [String: Any])
        #expect(details["price_list_id"] as? Int == 2)
        #expect(details["effective_at"] as? String == at)
        let changes = try #require(details["changes"] as? [[String: Any]])
        #expect(changes.map { $0["setting"] as? String } == ["base_price_hundredths", "multiplier_per_mille"])
        #expect(changes.map { $0["from"] as? Int } == [1000, 1300])
        #expect(changes.map { $0["to"] as? Int } == [1200, 1350])
        #expect(changes.last?["model"] as? String == "fog")
        #expect(changes.last?["depth"] as? Int == 3)

        #expect(result.standardOutput == """
            Price list 2 takes effect at \(at):
              base price: 10.00 -> 12.00 NOK per container-hour
              fog multiplier at depth 3: 1.3 -> 1.35

            """)

        let again = try CLI.run(["set-price", "--base", "12.00"], in: directory.path)
        #expect(again.exitCode == 0)
        #expect(again.standardOutput == "Prices unchanged: price list 2 already has these values.\n")

        let prices = try CLI.run(["prices"], in: directory.path)
        #expect(prices.exitCode == 0)
        #expect(prices.standardOutput.hasPrefix("""
            Price list 2, in force from \(at), set by bob at \(at).
            Base price: 12.00 NOK per container-hour.
            MODEL    DEPTH  MULTIPLIER   RATE
            all          0         0.5   6.00
            balloon      1         1.0  12.00

            """))
        #expect(prices.standardOutput.contains("\nfog          3        1.35  16.20\n"))
        #expect(prices.standardOutput.hasSuffix("\nmicro        6         2.6  31.20\n"))
    }

    @Test func pricesListsEveryVersion() throws {
        let directory = TemporaryDirectory()
        try smallTreeWithPriceChange(in: directory)
        let scheduled = try CLI.run(["set-price", "--depth0", "0.75", "--from", "2099-01-01"], in: directory.path)
        #expect(scheduled.exitCode == 0)
        #expect(scheduled.standardOutput == """
            Price list 3 takes effect at 2099-01-01T00:00:00.000Z:
              multiplier at depth 0: 0.5 -> 0.75

            """)

        let now = try CLI.run(["prices"], in: directory.path)
        #expect(now.standardOutput.hasPrefix(
            "Price list 2, in force from 2026-01-01T02:00:00.000Z, set by alice at 2026-01-01T02:00:00.000Z.\n"))
        #expect(now.standardOutput.hasSuffix(
            "Price list 3 takes effect at 2099-01-01T00:00:00.000Z; see 'praas-db prices --all'.\n"))

        let before = try CLI.run(["prices", "--at", "2026-01-01T01:59:59.999Z", "--format", "csv"], in: directory.path)
        let beforeRows = before.standardOutput.components(separatedBy: "\r\n")
        #expect(beforeRows.prefix(3) == [
            "PRICE_LIST,EFFECTIVE_AT,CURRENCY,MODEL,DEPTH,MULTIPLIER,RATE",
            "1,1970-01-01T00:00:00.000Z,NOK,all,0,0.5,5.00",
            "1,1970-01-01T00:00:00.000Z,NOK,balloon,1,1.0,10.00",
        ])
        #expect(beforeRows.count == 1 + 19 + 1)

        let all = try CLI.run(["prices", "--all", "--json"], in: directory.path)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(all.standardOutput.utf8)) as? [String: Any])
        let lists = try #require(object["price_lists"] as? [[String: Any]])
        #expect(lists.map { $0["id"] as? Int } == [1, 2, 3])
        #expect(lists.map { $0["base_price"] as? String } == ["10.00", "12.00", "12.00"])
        #expect(lists.map { $0["depth0_multiplier"] as? String } == ["0.5", "0.5", "0.75"])
        #expect(lists.map { $0["depth0_rate"] as? String } == ["5.00", "6.00", "9.00"])
        #expect(lists.map { ($0["multipliers"] as? [Any])?.count } == [18, 18, 18])
    }

    @Test(arguments: [
        (["set-price", "--base", "12.345"], "Invalid value '12.345' for '--base <amount>': expected at most 2 decimals."),
        (["set-price", "--base", "-1"], "Invalid value '-1' for '--base <amount>': a price cannot be negative."),
        (["set-price", "--base", "ten"],
         "Invalid value 'ten' for '--base <amount>': expected an amount in digits with at most 2 decimals, such as 12 or 12.50."),
        (["set-price", "--base", "1e1"],
         "Invalid value '1e1' for '--base <amount>': expected an amount in digits with at most 2 decimals, such as 12 or 12.50."),
        (["set-price", "--depth0", ".5"],
         "Invalid value '.5' for '--depth0 <multiplier>': expected a number in digits with at most 3 decimals, such as 2 or 1.35."),
        (["set-price", "--depth0", "0.0001"], "Invalid value '0.0001' for '--depth0 <multiplier>': expected at most 3 decimals."),
        (["set-price", "--model", "cloud", "--depth", "2", "--multiplier", "1"],
         "Invalid value 'cloud' for '--model <model>': expected balloon, fog or micro."),
        (["set-price", "--model", "fog", "--depth", "0", "--multiplier", "1"],
         "Invalid value '0' for '--depth <d>': expected a whole number of at least 1."),
        (["set-price", "--model", "fog", "--depth", "2", "--multiplier", "-1.5"],
         "Invalid value '-1.5' for '--multiplier <multiplier>': a multiplier cannot be negative."),
        (["set-price", "--currency", "euro", "--base", "1"],
         "Invalid value 'euro' for '--currency <code>': expected an ISO 4217 code of three letters, such as NOK or EUR."),
        (["set-price", "--model", "fog", "--multiplier", "1.5"],
         "'--model', '--depth' and '--multiplier' set one multiplier together: give all three"),
        (["set-price"], "nothing to change: give --base, --currency, --depth0, or --model, --depth and --multiplier"),
        (["set-price", "--currency", "EUR"],
         "changing the currency from NOK to EUR needs a base price in EUR, because amounts are not converted"),
        (["set-price", "--base", "11", "--from", "2020-01-01"],
         "a price change cannot take effect in the past: 2020-01-01T00:00:00.000Z is before now"),
    ])
    func invalidSetPriceChangesNothing(arguments: [String], message: String) throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let before = try CLI.run(["prices", "--all", "--format", "csv"], in: directory.path).standardOutput

        let result = try CLI.run(arguments, in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardOutput == "")
        #expect(result.standardError.hasPrefix("Error: \(message)"))
        #expect(result.standardError.hasSuffix(Self.setPriceUsage))
        #expect(try CLI.run(["prices", "--all", "--format", "csv"], in: directory.path).standardOutput == before)
        let history = try CLI.run(["history", "--format", "csv"], in: directory.path).standardOutput
        #expect(!history.contains("price_changed"))
    }

    // MARK: - bill

    /// From 01:00 to 03:30: one hour at 10 NOK, then 1.5 hours at 12 NOK.
    /// Fortnite: 5.00 + 22.00, then 1.5 x (6.00 + 26.40) = 48.60, so 75.60.
    /// hbo: 5.00 + 11.00 + 12.00, then 1.5 x (6.00 + 13.20 + 14.40) = 50.40, so 78.40.
    @Test func billSplitsAtPriceChange() throws {
        let directory = TemporaryDirectory()
        try smallTreeWithPriceChange(in: directory)
        let result = try CLI.run(
            ["bill", "--from", "2026-01-01T01:00:00Z", "--to", "2026-01-01T03:30:00Z"], in: directory.path)

        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        let first = "2026-01-01T01:00:00.000Z  2026-01-01T02:00:00.000Z"
        let second = "2026-01-01T02:00:00.000Z  2026-01-01T03:30:00.000Z"
        #expect(result.standardOutput == """
            Bill in NOK from 2026-01-01T01:00:00.000Z to 2026-01-01T03:30:00.000Z.
            CUSTOMER    CONTAINER  FROM                      TO                        MODEL    DEPTH   HOURS  MULTIPLIER   RATE  AMOUNT
            Epic games  Fortnite   \(first)  balloon      0  1.0000         0.5   5.00    5.00
            Epic games  Fortnite   \(first)  micro        2  1.0000         2.2  22.00   22.00
            Epic games  Fortnite   \(second)  balloon      0  1.5000         0.5   6.00    9.00
            Epic games  Fortnite   \(second)  micro        2  1.5000         2.2  26.40   39.60
            Epic games  Fortnite                                                       all                                         75.60
            Epic games  all                                                                                                        75.60
            HBO         hbo        \(first)  balloon      0  1.0000         0.5   5.00    5.00
            HBO         hbo        \(first)  fog          1  1.0000         1.1  11.00   11.00
            HBO         hbo        \(first)  fog          2  1.0000         1.2  12.00   12.00
            HBO         hbo        \(second)  balloon      0  1.5000         0.5   6.00    9.00
            HBO         hbo        \(second)  fog          1  1.5000         1.1  13.20   19.80
            HBO         hbo        \(second)  fog          2  1.5000         1.2  14.40   21.60
            HBO         hbo                                                            all                                         78.40
            HBO         all                                                                                                        78.40
            Total: 154.00 NOK.

            """)
    }

    @Test func billAsJSONAndCSV() throws {
        let directory = TemporaryDirectory()
        try smallTreeWithPriceChange(in: directory)
        let period = ["--from", "2026-01-01T01:00:00Z", "--to", "2026-01-01T03:30:00Z", "--customer", "Epic games"]

        let csv = try CLI.run(["bill"] + period + ["--format", "csv"], in: directory.path)
        #expect(csv.exitCode == 0)
        #expect(csv.standardOutput == [
            "CUSTOMER,CONTAINER,FROM,TO,MODEL,DEPTH,HOURS,MULTIPLIER,RATE,AMOUNT",
            "Epic games,Fortnite,2026-01-01T01:00:00.000Z,2026-01-01T02:00:00.000Z,balloon,0,1.0000,0.5,5.00,5.00",
            "Epic games,Fortnite,2026-01-01T01:00:00.000Z,2026-01-01T02:00:00.000Z,micro,2,1.0000,2.2,22.00,22.00",
            "Epic games,Fortnite,2026-01-01T02:00:00.000Z,2026-01-01T03:30:00.000Z,balloon,0,1.5000,0.5,6.00,9.00",
            "Epic games,Fortnite,2026-01-01T02:00:00.000Z,2026-01-01T03:30:00.000Z,micro,2,1.5000,2.2,26.40,39.60",
        ].map { $0 + "\r\n" }.joined())

        let json = try CLI.run(["bill"] + period + ["--json"], in: directory.path)
        #expect(json.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(object["from"] as? String == "2026-01-01T01:00:00.000Z")
        #expect(object["to"] as? String == "2026-01-01T03:30:00.000Z")
        #expect(object["billed_until"] as? String == "2026-01-01T03:30:00.000Z")
        #expect(object["currency"] as? String == "NOK")
        #expect(object["total"] as? String == "75.60")
        let customers = try #require(object["customers"] as? [[String: Any]])
        #expect(customers.map { $0["customer"] as? String } == ["Epic games"])
        #expect(customers.first?["total"] as? String == "75.60")
        let containers = try #require(customers.first?["containers"] as? [[String: Any]])
        #expect(containers.map { $0["container"] as? String } == ["Fortnite"])
        let lines = try #require(containers.first?["lines"] as? [[String: Any]])
        #expect(lines.map { $0["price_list_id"] as? Int } == [1, 1, 2, 2])
        #expect(lines.map { $0["container_milliseconds"] as? Int } == [3_600_000, 3_600_000, 5_400_000, 5_400_000])
        #expect(lines.map { $0["amount"] as? String } == ["5.00", "22.00", "9.00", "39.60"])
    }

    @Test func billOutsideHistoryIsEmpty() throws {
        let directory = TemporaryDirectory()
        try smallTreeWithPriceChange(in: directory)
        let result = try CLI.run(["bill", "--from", "2025-01-01", "--to", "2025-02-01"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardOutput == "Bill in NOK from 2025-01-01T00:00:00.000Z to 2025-02-01T00:00:00.000Z.\nTotal: 0.00 NOK.\n")
    }

    @Test func billRejectsBadPeriodAndCustomer() throws {
        let directory = TemporaryDirectory()
        try smallTreeWithPriceChange(in: directory)

        let backwards = try CLI.run(["bill", "--from", "2026-02-01", "--to", "2026-01-01"], in: directory.path)
        #expect(backwards.exitCode == 64)
        #expect(backwards.standardError.hasPrefix(
            "Error: the period's end (2026-01-01T00:00:00.000Z) must be after its start (2026-02-01T00:00:00.000Z)\n"
                + "Usage: praas-db bill --from <time> --to <time>"))

        let missing = try CLI.run(["bill", "--from", "2026-01-01"], in: directory.path)
        #expect(missing.exitCode == 64)
        #expect(missing.standardError.hasPrefix("Error: Missing expected option '--to <time>'.\n"))

        let customer = try CLI.run(["bill", "--from", "2026-01-01", "--to", "2026-02-01", "--customer", "HB0"], in: directory.path)
        #expect(customer.exitCode == 3)
        #expect(customer.standardError == "Error: customer \"HB0\" not found in the history; did you mean \"HBO\"?\n")
    }
}
