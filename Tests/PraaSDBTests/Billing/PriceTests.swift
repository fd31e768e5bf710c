import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// The price list: its defaults, the hourly rates of the Oslo use cases, the
/// rule for depths beyond the table, and price changes with their history.
@Suite struct PriceTests {
    /// Creates the Oslo database and registers `container` for `customer`.
    private func oslo(in directory: TemporaryDirectory, registering container: String, customer: String) throws -> Repository {
        let repository = try WorkflowFixtures.oslo(in: directory)
        try repository.deployNow(.register(container: container, memoryMB: 256, millicores: 200, customer: customer))
        return repository
    }

    private func rows(_ rates: HourlyRates) -> [String] {
        rates.containers.flatMap { container in
            container.rows.map { "\(container.name) \($0.model.rawValue) d\($0.depth) x\($0.nodeCount) \($0.multiplierPerMille) \($0.hourlyRateMicros) \($0.totalMicros)" }
        }
    }

    // MARK: - Defaults and rates

    @Test func defaultPriceList() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        let list = try repository.priceList()

        #expect(list.id == 1)
        #expect(list.effectiveAt == "1970-01-01T00:00:00.000Z")
        #expect(list.currency == "NOK")
        #expect(list.basePriceHundredths == 1000)
        #expect(list.depth0MultiplierPerMille == 500)
        #expect(list.createdBy == "praas-db")
        let byModel = Dictionary(grouping: list.multipliers, by: \.model).mapValues { $0.map(\.perMille) }
        #expect(byModel[.balloon] == [1000, 1000, 1300, 1500, 1700, 1900])
        #expect(byModel[.fog] == [1100, 1200, 1300, 1400, 1500, 1600])
        #expect(byModel[.micro] == [2100, 2200, 2300, 2400, 2500, 2600])
        #expect(list.multipliers.map(\.depth) == Array(repeating: Array(1...6), count: 3).flatMap { $0 })
    }

    @Test func microIsDearestAtEveryDepth() throws {
        let directory = TemporaryDirectory()
        let list = try WorkflowFixtures.oslo(in: directory).priceList()
        for depth in 1...12 {
            let micro = try #require(list.multiplierPerMille(model: .micro, depth: depth))
            #expect(micro > list.multiplierPerMille(model: .balloon, depth: depth)!, "depth \(depth)")
            #expect(micro > list.multiplierPerMille(model: .fog, depth: depth)!, "depth \(depth)")
        }
    }

    @Test func balloonToDepthSixOnOslo() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory, registering: "hbo", customer: "HBO")
        try repository.deployNow(.balloon(container: "hbo", depth: 6))

        let rates = try repository.hourlyRates()
        // 10 NOK times 0.5 at the root, then 9, 14, 22, 18, 7 and 9 nodes at depths
        // 1 to 6 times 10 NOK times 1.0, 1.0, 1.3, 1.5, 1.7 and 1.9.
        #expect(rows(rates) == [
            "hbo balloon d0 x1 500 5000000 5000000",
            "hbo balloon d1 x9 1000 10000000 90000000",
            "hbo balloon d2 x14 1000 10000000 140000000",
            "hbo balloon d3 x22 1300 13000000 286000000",
            "hbo balloon d4 x18 1500 15000000 270000000",
            "hbo balloon d5 x7 1700 17000000 119000000",
            "hbo balloon d6 x9 1900 19000000 171000000",
        ])
        #expect(rates.containers.map(\.customer) == ["HBO"])
        #expect(rates.containers.map(\.totalMicros) == [1_081_000_000])
        #expect(rates.totalMicros == 1_081_000_000)
        #expect(rates.priceList.id == 1)
        #expect(rates.at == "2027-01-15T08:00:00.000Z")
    }

    @Test func lillestromFogOnOslo() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        for request in UseCase.oslo[1].requests {
            try repository.deployNow(request)
        }

        let rates = try repository.hourlyRates(container: "Lillestrom")
        // The fog targets N13 (depth 2), N28 to N31 (depth 3) and N46 to N50
        // (depth 4) pull in N2 (depth 1). The root stays under the balloon of
        // depth 0 that registering gave it. Fog costs 10 NOK times 1 + depth / 10.
        let depth0 = 10_00 * 500 * 10
        let depth1 = 1 * 10_00 * 1100 * 10
        let depth2 = 1 * 10_00 * 1200 * 10
        let depth3 = 4 * 10_00 * 1300 * 10
        let depth4 = 5 * 10_00 * 1400 * 10
        #expect(rows(rates) == [
            "Lillestrom balloon d0 x1 500 5000000 \(depth0)",
            "Lillestrom fog d1 x1 1100 11000000 \(depth1)",
            "Lillestrom fog d2 x1 1200 12000000 \(depth2)",
            "Lillestrom fog d3 x4 1300 13000000 \(depth3)",
            "Lillestrom fog d4 x5 1400 14000000 \(depth4)",
        ])
        #expect(depth0 + depth1 + depth2 + depth3 + depth4 == 150_000_000)
        #expect(rates.totalMicros == 150_000_000)
    }

    @Test func ratesFilterByCustomerAndContainer() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        for useCase in UseCase.oslo {
            for request in useCase.requests {
                try repository.deployNow(request)
            }
        }

        #expect(try repository.hourlyRates().containers.map(\.name) == ["Fortnite", "hbo", "Lillestrom"])
        #expect(try repository.hourlyRates(customer: "HBO").containers.map(\.name) == ["hbo"])
        let nobody = try #require(throws: PraaSError.self) { try repository.hourlyRates(customer: "Nobody") }
        #expect(nobody.kind == .notFound)
        #expect(
            nobody.message
                == "customer \"Nobody\" not found in the history; 'praas-db containers' lists the customers of the registered containers")
        let typo = try #require(throws: PraaSError.self) { try repository.hourlyRates(customer: "HB0") }
        #expect(typo.message == "customer \"HB0\" not found in the history; did you mean \"HBO\"?")
        #expect(try repository.hourlyRates(container: "Lillestrom").totalMicros == 150_000_000)
        let unknown = try #require(throws: PraaSError.self) { try repository.hourlyRates(container: "hbo2") }
        #expect(unknown.kind == .notFound)
        #expect(unknown.message == "container \"hbo2\" not found; did you mean \"hbo\"?")
    }

    @Test func deepestRowAppliesBelowTable() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.database(WorkflowFixtures.tree(depth: 8, fanout: 1), in: directory)
        try repository.deployNow(.register(container: "deep", memoryMB: 256, millicores: 200, customer: "Deep"))
        try repository.deployNow(.balloon(container: "deep", depth: 8))

        var rates = try repository.hourlyRates()
        #expect(rates.containers[0].rows.map(\.multiplierPerMille) == [500, 1000, 1000, 1300, 1500, 1700, 1900, 1900, 1900])

        // A row for depth 8 applies there and below, and depth 7 keeps depth 6's.
        try repository.setPrices(PriceChange(multipliers: [PriceList.Multiplier(model: .balloon, depth: 8, perMille: 2500)]))
        rates = try repository.hourlyRates()
        #expect(rates.containers[0].rows.map(\.multiplierPerMille) == [500, 1000, 1000, 1300, 1500, 1700, 1900, 1900, 2500])
        #expect(rates.priceList.multiplierPerMille(model: .balloon, depth: 20) == 2500)
        #expect(rates.priceList.multiplierPerMille(model: .fog, depth: 20) == 1600)
    }

    @Test func rateViewMatchesLibrary() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.database(WorkflowFixtures.tree(depth: 8, fanout: 1), in: directory)
        try repository.setPrices(PriceChange(
            basePriceHundredths: 1234, depth0MultiplierPerMille: 250,
            multipliers: [PriceList.Multiplier(model: .micro, depth: 8, perMille: 3333)]))

        for list in try repository.priceLists() {
            let viewRows = try repository.database.rows(
                "SELECT model, depth, multiplier_per_mille, hourly_rate_micros FROM price_rates WHERE price_list_id = ?", list.id
            ) { row in "\(row.string(0)) \(row.int(1)) \(row.int(2)) \(row.int64(3))" }
            var expected: [String] = []
            for depth in 0...8 {
                for model in PlacementModel.allCases {
                    expected.append(
                        "\(model.rawValue) \(depth) \(list.multiplierPerMille(model: model, depth: depth)!) "
                            + "\(list.hourlyRateMicros(model: model, depth: depth)!)")
                }
            }
            #expect(viewRows.sorted() == expected.sorted(), "price list \(list.id)")
        }
        let micro8 = try repository.database.scalarInt(
            "SELECT hourly_rate_micros FROM price_rates WHERE price_list_id = 2 AND model = 'micro' AND depth = 8")
        #expect(micro8 == 1234 * 3333 * 10)
    }

    // MARK: - Changes

    @Test func changeAddsVersionAndHistory() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        let update = try repository.setPrices(PriceChange(
            basePriceHundredths: 1200, depth0MultiplierPerMille: 400,
            multipliers: [
                PriceList.Multiplier(model: .fog, depth: 3, perMille: 1350),
                PriceList.Multiplier(model: .micro, depth: 7, perMille: 2700),
            ]))

        #expect(update.previous.id == 1)
        let added = try #require(update.added)
        #expect(added.id == 2)
        #expect(added.effectiveAt == "2027-01-15T08:00:00.000Z")
        #expect(added.createdAt == "2027-01-15T08:00:00.000Z")
        #expect(added.createdBy == "alice")
        #expect(added.basePriceHundredths == 1200)
        #expect(added.depth0MultiplierPerMille == 400)
        #expect(added.currency == "NOK")
        #expect(added.multiplierPerMille(model: .fog, depth: 3) == 1350)
        #expect(added.multiplierPerMille(model: .fog, depth: 4) == 1400)
        #expect(added.multipliers.count == 19)
        #expect(update.differences == [
            .basePrice(fromHundredths: 1000, toHundredths: 1200),
            .depth0Multiplier(fromPerMille: 500, toPerMille: 400),
            .multiplier(model: .fog, depth: 3, fromPerMille: 1300, toPerMille: 1350),
            .multiplier(model: .micro, depth: 7, fromPerMille: nil, toPerMille: 2700),
        ])
        #expect(try repository.priceList().id == 2)
        #expect(try repository.priceLists().map(\.id) == [1, 2])

        let events = try repository.history().filter { $0.event == "price_changed" }
        #expect(events.count == 1)
        #expect(events.first?.actor == "alice")
        #expect(events.first?.revision == 1)
        #expect(events.first?.at == "2027-01-15T08:00:00.000Z")
        #expect(events.first?.details == """
            {"price_list_id":2,"effective_at":"2027-01-15T08:00:00.000Z","changes":[\
            {"setting":"base_price_hundredths","from":1000,"to":1200},\
            {"setting":"depth0_multiplier_per_mille","from":500,"to":400},\
            {"setting":"multiplier_per_mille","model":"fog","depth":3,"from":1300,"to":1350},\
            {"setting":"multiplier_per_mille","model":"micro","depth":7,"from":null,"to":2700}]}
            """)
    }

    @Test func currencyChangeNeedsBasePrice() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)

        let error = try #require(throws: PraaSError.self) { try repository.setPrices(PriceChange(currency: "EUR")) }
        #expect(error.kind == .invalidArgument)
        #expect(error.message == "changing the currency from NOK to EUR needs a base price in EUR, because amounts are not converted")
        #expect(try repository.priceLists().count == 1)

        let update = try repository.setPrices(PriceChange(currency: "EUR", basePriceHundredths: 95))
        #expect(update.differences == [.currency(from: "NOK", to: "EUR"), .basePrice(fromHundredths: 1000, toHundredths: 95)])
        #expect(try repository.priceList().currency == "EUR")
    }

    @Test func unchangedValuesAddNothing() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        let update = try repository.setPrices(PriceChange(
            currency: "NOK", basePriceHundredths: 1000, multipliers: [PriceList.Multiplier(model: .fog, depth: 2, perMille: 1200)]))

        #expect(update.added == nil)
        #expect(update.differences.isEmpty)
        #expect(try repository.priceLists().count == 1)
        #expect(try repository.history().filter { $0.event == "price_changed" }.isEmpty)
    }

    @Test func laterChangeTakesEffectLater() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        let february = try #require(Timestamp.parse("2027-02-01"))
        try repository.setPrices(PriceChange(basePriceHundredths: 1500, effectiveAt: february))

        #expect(try repository.priceList().id == 1)
        #expect(try repository.priceList(at: february).basePriceHundredths == 1500)
        #expect(try repository.priceList(at: february.addingTimeInterval(-0.001)).id == 1)

        // A change may not take effect before one already scheduled.
        let error = try #require(throws: PraaSError.self) {
            try repository.setPrices(PriceChange(basePriceHundredths: 1100))
        }
        #expect(error.kind == .conflict)
        #expect(error.message == """
            price list 2 takes effect at 2027-02-01T00:00:00.000Z, after 2027-01-15T08:00:00.000Z; \
            a new price change must take effect at or after it. To change or cancel the scheduled prices, set them \
            again with --from 2027-02-01T00:00:00.000Z, which replaces price list 2
            """)
        #expect(try repository.priceLists().count == 2)

        // Setting the prices again at the scheduled time cancels the scheduled change.
        try repository.setPrices(PriceChange(basePriceHundredths: 1000, effectiveAt: february))
        #expect(try repository.priceList(at: february).basePriceHundredths == 1000)
        #expect(try repository.priceList(at: february).id == 3)
    }

    @Test func invalidChangesChangeNothing() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        let cases: [(PriceChange, String)] = [
            (PriceChange(basePriceHundredths: -1), "invalid base price of -1 hundredths: expected 0 to 10000000 hundredths"),
            (PriceChange(depth0MultiplierPerMille: 100_001), "invalid multiplier of 100001 thousandths: expected 0 to 100000 thousandths"),
            (PriceChange(currency: "eur", basePriceHundredths: 100),
             "invalid currency 'eur': expected an ISO 4217 code of three letters, such as NOK or EUR in upper case"),
            (PriceChange(currency: "EURO", basePriceHundredths: 100),
             "invalid currency 'EURO': expected an ISO 4217 code of three letters, such as NOK or EUR"),
            (PriceChange(multipliers: [PriceList.Multiplier(model: .fog, depth: 0, perMille: 1000)]),
             "invalid depth 0 for a fog multiplier: expected 1 or more; depth 0 has one multiplier for every model, "
                + "set with the depth-0 multiplier"),
            (PriceChange(basePriceHundredths: 1200, effectiveAt: Date(timeIntervalSince1970: 1_799_999_999)),
             "a price change cannot take effect in the past: 2027-01-15T07:59:59.000Z is before now "
                + "(2027-01-15T08:00:00.000Z), and bills for past periods must not change"),
        ]
        for (change, message) in cases {
            let error = try #require(throws: PraaSError.self) { try repository.setPrices(change) }
            #expect(error.kind == .invalidArgument)
            #expect(error.message == message)
        }
        #expect(try repository.priceLists().count == 1)
        #expect(try repository.history().filter { $0.event == "price_changed" }.isEmpty)
    }

    @Test func priceTextIsParsedExactly() throws {
        #expect(try Pricing.parseBasePrice("12") == 1200)
        #expect(try Pricing.parseBasePrice("12.5") == 1250)
        #expect(try Pricing.parseBasePrice("0.01") == 1)
        #expect(try Pricing.parseMultiplier("1.35") == 1350)
        #expect(try Pricing.parseMultiplier("0.001") == 1)
        #expect(try Pricing.parseCurrency("eur") == "EUR")
        #expect(try Pricing.parseModel("micro") == .micro)

        let cases: [(() throws -> Any, String)] = [
            ({ try Pricing.parseBasePrice("-1") }, "invalid base price '-1': a price cannot be negative"),
            ({ try Pricing.parseBasePrice("12.345") }, "invalid base price '12.345': expected at most 2 decimals"),
            ({ try Pricing.parseBasePrice("ten") }, "invalid base price 'ten': expected an amount in digits with at most 2 decimals, such as 12 or 12.50"),
            ({ try Pricing.parseBasePrice("100000.01") }, "invalid base price '100000.01': the maximum is 100000.00"),
            ({ try Pricing.parseMultiplier("-0.5") }, "invalid multiplier '-0.5': a multiplier cannot be negative"),
            ({ try Pricing.parseMultiplier("1.3505") }, "invalid multiplier '1.3505': expected at most 3 decimals"),
            ({ try Pricing.parseMultiplier("100.001") }, "invalid multiplier '100.001': the maximum is 100"),
            ({ try Pricing.parseCurrency("kr") }, "invalid currency 'kr': expected an ISO 4217 code of three letters, such as NOK or EUR"),
            ({ try Pricing.parseModel("cloud") }, "invalid model 'cloud': expected balloon, fog or micro"),
        ]
        for (parse, message) in cases {
            let error = try #require(throws: PraaSError.self) { _ = try parse() }
            #expect(error.kind == .invalidArgument)
            #expect(error.message == message)
        }
        #expect(Pricing.problem(withBasePrice: "12.345") == "expected at most 2 decimals")
        #expect(Pricing.problem(withBasePrice: "12.34") == nil)
        #expect(Pricing.problem(withModel: "micromanagement") == "expected balloon, fog or micro")
    }

    @Test func fixedPointFormatsAndRounds() {
        #expect(FixedPoint.format(13_500_000, decimals: 6, minimumDecimals: 2) == "13.50")
        #expect(FixedPoint.format(16_720_700, decimals: 6, minimumDecimals: 2) == "16.7207")
        #expect(FixedPoint.format(5, decimals: 2, minimumDecimals: 2) == "0.05")
        #expect(FixedPoint.format(-5, decimals: 2, minimumDecimals: 2) == "-0.05")
        #expect(FixedPoint.format(1000, decimals: 3, minimumDecimals: 1) == "1.0")
        #expect(FixedPoint.format(100_000, decimals: 3) == "100")
        #expect(FixedPoint.roundedQuotient(5, 2) == 3)
        #expect(FixedPoint.roundedQuotient(-5, 2) == -3)
        #expect(FixedPoint.roundedQuotient(7, 3) == 2)
        #expect(FixedPoint.roundedQuotient(8, 3) == 3)
    }

    @Test func priceListsAreAppendOnly() throws {
        let directory = TemporaryDirectory()
        let database = try WorkflowFixtures.oslo(in: directory).database
        #expect(throws: DatabaseError.self) { try database.run("UPDATE price_lists SET base_price_hundredths = 1") }
        #expect(throws: DatabaseError.self) { try database.run("DELETE FROM price_multipliers") }
        #expect(try database.scalarInt("SELECT base_price_hundredths FROM price_lists") == 1000)
        #expect(try database.scalarInt("SELECT count(*) FROM price_multipliers") == 18)
    }
}
