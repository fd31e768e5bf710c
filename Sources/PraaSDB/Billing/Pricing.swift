/// The limits of prices and the checks of price values given as text, shared
/// by the library and the command line.
public enum Pricing {
    /// The largest base price: 100,000.00 currency units per container-hour.
    public static let maxBasePriceHundredths: Int64 = 10_000_000
    /// The largest multiplier: 100. With the largest base price, one container
    /// on one node costs at most 10^13 millionths per hour, so sums of rates fit
    /// in 64 bits for up to 900,000 placements.
    public static let maxMultiplierPerMille = 100_000

    /// Parses a price in plain notation with at most two decimals, such as `12` or
    /// `12.50`, into hundredths.
    ///
    /// - Throws: `.invalidArgument` naming the value and the problem.
    public static func parseBasePrice(_ text: String) throws -> Int64 {
        switch Quantity.scaled(text, decimals: 2, maximum: maxBasePriceHundredths, notation: .plain) {
        case .success(let hundredths): return hundredths
        case .failure(let problem): throw PraaSError(.invalidArgument, "invalid base price '\(text)': \(basePriceProblem(problem))")
        }
    }

    /// Parses a multiplier in plain notation with at most three decimals, such as
    /// `1.35`, into thousandths.
    ///
    /// - Throws: `.invalidArgument` naming the value and the problem.
    public static func parseMultiplier(_ text: String) throws -> Int {
        switch Quantity.scaled(text, decimals: 3, maximum: Int64(maxMultiplierPerMille), notation: .plain) {
        case .success(let perMille): return Int(perMille)
        case .failure(let problem): throw PraaSError(.invalidArgument, "invalid multiplier '\(text)': \(multiplierProblem(problem))")
        }
    }

    /// Parses an ISO 4217 currency code of three ASCII letters in either case and
    /// returns it in upper case.
    ///
    /// - Throws: `.invalidArgument` for anything else.
    public static func parseCurrency(_ text: String) throws -> String {
        let isLetters = text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
        guard text.unicodeScalars.count == 3, isLetters else {
            throw PraaSError(.invalidArgument, "invalid currency '\(text)': \(currencyProblem)")
        }
        return text.uppercased()
    }

    /// Parses a model name: `balloon`, `fog` or `micro`.
    ///
    /// - Throws: `.invalidArgument` for any other name.
    public static func parseModel(_ text: String) throws -> PlacementModel {
        guard let model = PlacementModel(rawValue: text) else {
            throw PraaSError(.invalidArgument, "invalid model '\(text)': \(modelProblem)")
        }
        return model
    }

    /// Returns why `text` is not a valid base price, or nil when it is.
    public static func problem(withBasePrice text: String) -> String? {
        switch Quantity.scaled(text, decimals: 2, maximum: maxBasePriceHundredths, notation: .plain) {
        case .success: nil
        case .failure(let problem): basePriceProblem(problem)
        }
    }

    /// Returns why `text` is not a valid multiplier, or nil when it is.
    public static func problem(withMultiplier text: String) -> String? {
        switch Quantity.scaled(text, decimals: 3, maximum: Int64(maxMultiplierPerMille), notation: .plain) {
        case .success: nil
        case .failure(let problem): multiplierProblem(problem)
        }
    }

    /// Returns why `text` is not a valid currency code, or nil when it is.
    public static func problem(withCurrency text: String) -> String? {
        (try? parseCurrency(text)) == nil ? currencyProblem : nil
    }

    /// Returns why `text` is not a model name, or nil when it is.
    public static func problem(withModel text: String) -> String? {
        PlacementModel(rawValue: text) == nil ? modelProblem : nil
    }

    // MARK: - Messages

    static let currencyProblem = "expected an ISO 4217 code of three letters, such as NOK or EUR"
    static let modelProblem = "expected balloon, fog or micro"

    private static func basePriceProblem(_ problem: Quantity.Problem) -> String {
        switch problem {
        case .notANumber: "expected an amount in digits with at most 2 decimals, such as 12 or 12.50"
        case .negative: "a price cannot be negative"
        case .tooPrecise: "expected at most 2 decimals"
        case .tooLarge: "the maximum is \(FixedPoint.format(maxBasePriceHundredths, decimals: 2, minimumDecimals: 2))"
        }
    }

    private static func multiplierProblem(_ problem: Quantity.Problem) -> String {
        switch problem {
        case .notANumber: "expected a number in digits with at most 3 decimals, such as 2 or 1.35"
        case .negative: "a multiplier cannot be negative"
        case .tooPrecise: "expected at most 3 decimals"
        case .tooLarge: "the maximum is \(FixedPoint.format(maxMultiplierPerMille, decimals: 3))"
        }
    }
}
