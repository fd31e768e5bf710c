import ArgumentParsing
import Foundation
import PraaSDB

/// `praas-db bill`: the charges for a period, from the placement history.
enum BillCommand {
    static let bill = Command(
        spec: CommandSpec(
            "bill",
            summary: "Charge for a period: container-hours times the rate in force, per customer and container.",
            discussion: """
                Every stay of a container on a node in the history is cut at the period's edges and split where the \
                price list changes, then charged at the rate of its model and depth. A line sums a container's hours \
                at one depth under one model while one price list was in force; FROM and TO are that part of the \
                period. Time after now is not billed, so a period that has not ended is billed up to now.

                Each line is computed exactly from milliseconds and rounded once to hundredths, half away from zero; \
                HOURS is rounded to four decimals for display only. Container, customer and bill totals add up the \
                rounded lines. A period that spans a currency change must be billed in two parts. CSV has one row per \
                line and no totals; JSON carries amounts as decimal strings.
                """,
            group: PriceCommands.group,
            options: [
                OptionSpec(
                    "--from", valueName: "time", help: "The period's start, ISO 8601 in UTC (2027-01-01 is midnight UTC).",
                    isRequired: true, validate: DatabaseCommands.validateTimestamp),
                OptionSpec(
                    "--to", valueName: "time", help: "The period's end, ISO 8601 in UTC, not included.",
                    isRequired: true, validate: DatabaseCommands.validateTimestamp),
                OptionSpec("--customer", valueName: "text", help: "Only this customer's containers."),
            ] + FormatOptions.all,
            examples: [
                Example("praas-db bill --from 2027-01-01 --to 2027-02-01", "Every customer's charges for January 2027."),
                Example(
                    "praas-db bill --from 2027-01-01 --to 2027-02-01 --customer HBO --format csv",
                    "HBO's January lines as CSV for a spreadsheet."),
            ]),
        run: { context in
            let bill = try context.openRepository().bill(
                from: Timestamp.parse(context.arguments.value("--from")!)!, to: Timestamp.parse(context.arguments.value("--to")!)!,
                customer: context.arguments.value("--customer"))
            switch context.format {
            case .table: writeTable(bill, to: context.output)
            case .csv: context.output.write(lineTable(bill, withTotals: false).csv())
            case .json: context.output.write(bytes: json(bill))
            }
        })

    private static func lineTable(_ bill: Bill, withTotals: Bool) -> Table {
        var table = Table([
            ("CUSTOMER", .left), ("CONTAINER", .left), ("FROM", .left), ("TO", .left), ("MODEL", .left), ("DEPTH", .right),
            ("HOURS", .right), ("MULTIPLIER", .right), ("RATE", .right), ("AMOUNT", .right),
        ])
        for customer in bill.customers {
            for container in customer.containers {
                for line in container.lines {
                    table.append([
                        customer.name, container.name, line.from, line.to, line.model.rawValue, String(line.depth),
                        PriceFormat.hours(milliseconds: line.containerMilliseconds),
                        PriceFormat.multiplier(perMille: line.multiplierPerMille), PriceFormat.amount(micros: line.hourlyRateMicros),
                        PriceFormat.amount(hundredths: line.amountHundredths),
                    ])
                }
                if withTotals {
                    table.append([
                        customer.name, container.name, "", "", "all", "", "", "", "", PriceFormat.amount(hundredths: container.totalHundredths),
                    ])
                }
            }
            if withTotals {
                table.append([customer.name, "all", "", "", "", "", "", "", "", PriceFormat.amount(hundredths: customer.totalHundredths)])
            }
        }
        return table
    }

    private static func writeTable(_ bill: Bill, to output: TextOutput) {
        var heading = "Bill in \(bill.currency) from \(bill.from) to \(bill.to)"
        if bill.billedUntil != bill.to {
            heading += ", billed up to \(bill.billedUntil)"
        }
        output.writeLine(heading + ".")
        if !bill.customers.isEmpty {
            output.write(lineTable(bill, withTotals: true).rendered())
        }
        output.writeLine("Total: \(PriceFormat.amount(hundredths: bill.totalHundredths)) \(bill.currency).")
    }

    private static func json(_ bill: Bill) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("version", 1)
        json.field("from", bill.from)
        json.field("to", bill.to)
        json.field("billed_until", bill.billedUntil)
        json.field("currency", bill.currency)

        json.key("customers")
        json.beginArray()
        for customer in bill.customers {
            json.beginObject()
            json.field("customer", customer.name)
            json.key("containers")
            json.beginArray()
            for container in customer.containers {
                json.beginObject()
                json.field("container", container.name)
                json.field("container_id", container.id)
                json.key("lines")
                json.beginArray()
                for line in container.lines {
                    json.beginObject()
                    json.field("price_list_id", line.priceListID)
                    json.field("from", line.from)
                    json.field("to", line.to)
                    json.field("model", line.model.rawValue)
                    json.field("depth", line.depth)
                    json.field("container_milliseconds", line.containerMilliseconds)
                    json.field("container_hours", PriceFormat.hours(milliseconds: line.containerMilliseconds))
                    json.field("multiplier", PriceFormat.multiplier(perMille: line.multiplierPerMille))
                    json.field("rate", PriceFormat.amount(micros: line.hourlyRateMicros))
                    json.field("amount", PriceFormat.amount(hundredths: line.amountHundredths))
                    json.endObject()
                }
                json.endArray()
                json.field("total", PriceFormat.amount(hundredths: container.totalHundredths))
                json.endObject()
            }
            json.endArray()
            json.field("total", PriceFormat.amount(hundredths: customer.totalHundredths))
            json.endObject()
        }
        json.endArray()

        json.field("total", PriceFormat.amount(hundredths: bill.totalHundredths))
        json.endObject()
        json.finish()
        return json.bytes
    }
}
