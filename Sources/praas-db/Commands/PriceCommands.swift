import ArgumentParsing
import Foundation
import PraaSDB

/// Commands that show and change the pay-as-you-go prices.
enum PriceCommands {
    static let group = "Prices and billing"

    static let pricingDiscussion = """
        A container on a node costs the base price per hour times the multiplier for the placement's model and the \
        node's depth. Depth 0, the root in the ISP's data centre, has one multiplier for every model. A depth deeper \
        than a model's last multiplier row takes that row's multiplier.
        """

    static let price = Command(
        spec: CommandSpec(
            "price",
            summary: "Show what the current placements cost per hour, by container, model and depth.",
            discussion: pricingDiscussion + """


                Each row counts a container's nodes at one depth under one model and shows the multiplier, the rate of \
                one container on one node per hour and the row's total per hour, in the currency of the price list in \
                force now. Rates are exact, so nothing is rounded. CSV has one row per container, model and depth and \
                no totals. A --container that is not registered, or a --customer that the history never mentions, \
                is an error (exit 3).
                """,
            group: group,
            options: [
                OptionSpec("--customer", valueName: "text", help: "Only this customer's containers."),
                OptionSpec("--container", valueName: "name", help: "Only this container.", completion: .dynamic("container")),
            ] + FormatOptions.all,
            examples: [
                Example("praas-db price", "The hourly rate of every container, with totals."),
                Example("praas-db price --customer HBO --json", "HBO's hourly rate, as JSON."),
            ]),
        run: { context in
            let rates = try context.openRepository().hourlyRates(
                customer: context.arguments.value("--customer"), container: context.arguments.value("--container"))
            switch context.format {
            case .table: writeTable(rates, to: context.output)
            case .csv: context.output.write(rateTable(rates, withTotals: false).csv())
            case .json: context.output.write(bytes: json(rates))
            }
        })

    static let prices = Command(
        spec: CommandSpec(
            "prices",
            summary: "Show the price list: currency, base price and the multiplier of every model and depth.",
            discussion: pricingDiscussion + """


                Without options, shows the price list in force now and names any price list that takes effect later. \
                Every price change adds a version of the whole list; --all shows them all, oldest first.
                """,
            group: group,
            options: [
                OptionSpec(
                    "--at", valueName: "time", help: "Show the price list in force at this time, ISO 8601 in UTC.",
                    defaultDescription: "now", validate: DatabaseCommands.validateTimestamp),
                OptionSpec.flag("--all", help: "Show every version of the price list, including ones that take effect later."),
            ] + FormatOptions.all,
            examples: [
                Example("praas-db prices", "The prices in force now."),
                Example("praas-db prices --all --format csv > prices.csv", "Every version of the price list, as CSV."),
            ]),
        run: { context in
            if context.arguments.flag("--all"), context.arguments.value("--at") != nil {
                throw PraaSError.invalidArgument("'--all' and '--at' cannot be combined, because '--all' shows every version")
            }
            let repository = try context.openRepository()
            let lists: [PriceList]
            var scheduled: [PriceList] = []
            if context.arguments.flag("--all") {
                lists = try repository.priceLists()
            } else {
                let list = try repository.priceList(at: context.arguments.value("--at").flatMap(Timestamp.parse))
                lists = [list]
                if context.arguments.value("--at") == nil {
                    scheduled = try repository.priceLists().filter { $0.effectiveAt > list.effectiveAt }
                }
            }
            switch context.format {
            case .table:
                for (index, list) in lists.enumerated() {
                    if index > 0 {
                        context.output.writeLine()
                    }
                    context.output.writeLine(
                        "Price list \(list.id), in force from \(list.effectiveAt), set by \(list.createdBy) at \(list.createdAt).")
                    context.output.writeLine("Base price: \(PriceFormat.amount(hundredths: list.basePriceHundredths)) \(list.currency) per container-hour.")
                    var table = Table(priceListColumns)
                    priceListRows(list).forEach { table.append($0) }
                    context.output.write(table.rendered())
                }
                for list in scheduled {
                    context.output.writeLine("Price list \(list.id) takes effect at \(list.effectiveAt); see 'praas-db prices --all'.")
                }
            case .csv:
                var table = Table(
                    [("PRICE_LIST", .right), ("EFFECTIVE_AT", .left), ("CURRENCY", .left)] + priceListColumns)
                for list in lists {
                    for row in priceListRows(list) {
                        table.append([String(list.id), list.effectiveAt, list.currency] + row)
                    }
                }
                context.output.write(table.csv())
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.key("price_lists")
                json.beginArray()
                for list in lists {
                    write(list, to: &json)
                }
                json.endArray()
                json.endObject()
                json.finish()
                context.output.write(bytes: json.bytes)
            }
        })

    static let setPrice = Command(
        spec: CommandSpec(
            "set-price",
            summary: "Change prices from now or a later time: base price, currency or a multiplier.",
            discussion: """
                Adds a version of the price list: the newest version with the values given changed, in force from \
                --from on. Placements are billed at the old prices before that time and at the new ones after it. \
                The change is recorded in the history as a price_changed event with the old and new values. Values \
                equal to those already set change nothing. Prices cannot change in the past, so a bill for a past \
                period never changes.
                """,
            group: group,
            options: [
                OptionSpec(
                    "--base", valueName: "amount",
                    help: "The base price of one container on one node per hour, in units of the currency with at most 2 decimals, such as 12.50.",
                    validate: Pricing.problem(withBasePrice:)),
                OptionSpec(
                    "--currency", valueName: "code",
                    help: "The ISO 4217 currency of every price, such as EUR. Amounts are not converted, so --base is required with it.",
                    validate: Pricing.problem(withCurrency:)),
                OptionSpec(
                    "--depth0", valueName: "multiplier",
                    help: "The multiplier at depth 0 (the root), for every model, with at most 3 decimals.",
                    validate: Pricing.problem(withMultiplier:)),
                OptionSpec(
                    "--model", valueName: "model", help: "The model whose multiplier --multiplier sets: balloon, fog or micro.",
                    completion: .choices(PlacementModel.allCases.map(\.rawValue)), validate: Pricing.problem(withModel:)),
                OptionSpec(
                    "--depth", valueName: "d",
                    help: "The depth, in hops from the root, whose multiplier --multiplier sets: 1 or more. A depth without a row of its own gets one.",
                    validate: Validators.integer(minimum: 1)),
                OptionSpec(
                    "--multiplier", valueName: "multiplier",
                    help: "The multiplier for --model at --depth, with at most 3 decimals, such as 1.35.",
                    validate: Pricing.problem(withMultiplier:)),
                OptionSpec(
                    "--from", valueName: "time", help: "When the new prices take effect, ISO 8601 in UTC; not before now.",
                    defaultDescription: "now", validate: DatabaseCommands.validateTimestamp),
                ActorName.option(help: "Who changes the prices."),
            ],
            examples: [
                Example("praas-db set-price --base 12", "Raise the base price to 12 per container-hour from now on."),
                Example(
                    "praas-db set-price --model fog --depth 3 --multiplier 1.35 --from 2027-02-01",
                    "Make fog at depth 3 cost 1.35 times the base price from February 1st."),
            ]),
        run: { context in
            let change = try priceChange(context.arguments)
            let update = try context.openRepository().setPrices(change)
            guard let added = update.added else {
                context.output.writeLine("Prices unchanged: price list \(update.previous.id) already has these values.")
                return
            }
            context.output.writeLine("Price list \(added.id) takes effect at \(added.effectiveAt):")
            for difference in update.differences {
                context.output.writeLine("  " + describe(difference, currency: added.currency))
            }
        })

    static let all = [price, prices, setPrice, BillCommand.bill]

    // MARK: - set-price

    private static func priceChange(_ arguments: ParsedArguments) throws -> PriceChange {
        var change = PriceChange()
        change.basePriceHundredths = try arguments.value("--base").map(Pricing.parseBasePrice)
        change.currency = try arguments.value("--currency").map(Pricing.parseCurrency)
        change.depth0MultiplierPerMille = try arguments.value("--depth0").map(Pricing.parseMultiplier)
        change.effectiveAt = arguments.value("--from").flatMap(Timestamp.parse)

        let model = arguments.value("--model")
        let depth = arguments.integer("--depth")
        let multiplier = arguments.value("--multiplier")
        if model != nil || depth != nil || multiplier != nil {
            guard let model, let depth, let multiplier else {
                throw PraaSError.invalidArgument("'--model', '--depth' and '--multiplier' set one multiplier together: give all three")
            }
            change.multipliers = [
                PriceList.Multiplier(model: try Pricing.parseModel(model), depth: depth, perMille: try Pricing.parseMultiplier(multiplier))
            ]
        }
        if change.isEmpty {
            throw PraaSError.invalidArgument("nothing to change: give --base, --currency, --depth0, or --model, --depth and --multiplier")
        }
        return change
    }

    private static func describe(_ difference: PriceDifference, currency: String) -> String {
        switch difference {
        case .currency(let from, let to):
            "currency: \(from) -> \(to)"
        case .basePrice(let from, let to):
            "base price: \(PriceFormat.amount(hundredths: from)) -> \(PriceFormat.amount(hundredths: to)) \(currency) per container-hour"
        case .depth0Multiplier(let from, let to):
            "multiplier at depth 0: \(PriceFormat.multiplier(perMille: from)) -> \(PriceFormat.multiplier(perMille: to))"
        case .multiplier(let model, let depth, let from, let to):
            "\(model.rawValue) multiplier at depth \(depth): "
                + (from.map { PriceFormat.multiplier(perMille: $0) } ?? "none of its own")
                + " -> \(PriceFormat.multiplier(perMille: to))"
        }
    }

    // MARK: - price

    private static func rateTable(_ rates: HourlyRates, withTotals: Bool) -> Table {
        var table = Table([
            ("CUSTOMER", .left), ("CONTAINER", .left), ("MODEL", .left), ("DEPTH", .right), ("NODES", .right),
            ("MULTIPLIER", .right), ("RATE", .right), ("TOTAL", .right),
        ])
        for container in rates.containers {
            for row in container.rows {
                table.append([
                    container.customer, container.name, row.model.rawValue, String(row.depth), String(row.nodeCount),
                    PriceFormat.multiplier(perMille: row.multiplierPerMille), PriceFormat.amount(micros: row.hourlyRateMicros),
                    PriceFormat.amount(micros: row.totalMicros),
                ])
            }
            if withTotals {
                let nodes = container.rows.reduce(0) { $0 + $1.nodeCount }
                table.append([
                    container.customer, container.name, "all", "", String(nodes), "", "", PriceFormat.amount(micros: container.totalMicros),
                ])
            }
        }
        return table
    }

    private static func writeTable(_ rates: HourlyRates, to output: TextOutput) {
        let list = rates.priceList
        output.writeLine(
            "Hourly rates in \(list.currency) at \(rates.at), under price list \(list.id) (in force from \(list.effectiveAt)); "
                + "base price \(PriceFormat.amount(hundredths: list.basePriceHundredths)) per container-hour.")
        guard !rates.containers.isEmpty else {
            output.writeLine("No containers are placed.")
            return
        }
        output.write(rateTable(rates, withTotals: true).rendered())
        let placements = rates.containers.reduce(0) { sum, container in sum + container.rows.reduce(0) { $0 + $1.nodeCount } }
        let containers = rates.containers.count == 1 ? "1 container" : "\(rates.containers.count) containers"
        output.writeLine(
            "Total: \(PriceFormat.amount(micros: rates.totalMicros)) \(list.currency) per hour for \(containers) on \(placements) nodes.")
    }

    private static func json(_ rates: HourlyRates) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("version", 1)
        json.field("at", rates.at)
        json.field("currency", rates.priceList.currency)
        json.key("price_list")
        write(rates.priceList, to: &json)

        json.key("containers")
        json.beginArray()
        for container in rates.containers {
            json.beginObject()
            json.field("container", container.name)
            json.field("customer", container.customer)
            json.key("rows")
            json.beginArray()
            for row in container.rows {
                json.beginObject()
                json.field("model", row.model.rawValue)
                json.field("depth", row.depth)
                json.field("nodes", row.nodeCount)
                json.field("multiplier", PriceFormat.multiplier(perMille: row.multiplierPerMille))
                json.field("rate", PriceFormat.amount(micros: row.hourlyRateMicros))
                json.field("total", PriceFormat.amount(micros: row.totalMicros))
                json.endObject()
            }
            json.endArray()
            json.field("total", PriceFormat.amount(micros: container.totalMicros))
            json.endObject()
        }
        json.endArray()

        json.field("total", PriceFormat.amount(micros: rates.totalMicros))
        json.endObject()
        json.finish()
        return json.bytes
    }

    // MARK: - prices

    private static let priceListColumns: [(String, Table.Alignment)] = [
        ("MODEL", .left), ("DEPTH", .right), ("MULTIPLIER", .right), ("RATE", .right),
    ]

    /// The rows of one version: depth 0, which applies to every model, then each
    /// model's rows by depth.
    private static func priceListRows(_ list: PriceList) -> [[String]] {
        let depth0 = list.depth0MultiplierPerMille
        var rows = [
            ["all", "0", PriceFormat.multiplier(perMille: depth0), PriceFormat.amount(micros: list.hourlyRateMicros(multiplierPerMille: depth0))]
        ]
        for multiplier in list.multipliers {
            rows.append([
                multiplier.model.rawValue, String(multiplier.depth), PriceFormat.multiplier(perMille: multiplier.perMille),
                PriceFormat.amount(micros: list.hourlyRateMicros(multiplierPerMille: multiplier.perMille)),
            ])
        }
        return rows
    }

    private static func write(_ list: PriceList, to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", list.id)
        json.field("effective_at", list.effectiveAt)
        json.field("currency", list.currency)
        json.field("base_price", PriceFormat.amount(hundredths: list.basePriceHundredths))
        json.field("depth0_multiplier", PriceFormat.multiplier(perMille: list.depth0MultiplierPerMille))
        json.field("depth0_rate", PriceFormat.amount(micros: list.hourlyRateMicros(multiplierPerMille: list.depth0MultiplierPerMille)))
        json.key("multipliers")
        json.beginArray()
        for multiplier in list.multipliers {
            json.beginObject()
            json.field("model", multiplier.model.rawValue)
            json.field("depth", multiplier.depth)
            json.field("multiplier", PriceFormat.multiplier(perMille: multiplier.perMille))
            json.field("rate", PriceFormat.amount(micros: list.hourlyRateMicros(multiplierPerMille: multiplier.perMille)))
            json.endObject()
        }
        json.endArray()
        json.field("created_at", list.createdAt)
        json.field("created_by", list.createdBy)
        json.endObject()
    }
}
