import Testing

@testable import PraaSDB

@Suite struct QueryParameterTests {
    @Test func canonicalIntegersBindAsInteger() {
        #expect(QueryParameter(name: "a", text: "42").value == .integer(42))
        #expect(QueryParameter(name: "a", text: "-7").value == .integer(-7))
        #expect(QueryParameter(name: "a", text: "0").value == .integer(0))
        #expect(QueryParameter(name: "a", text: "9223372036854775807").value == .integer(Int64.max))
    }

    @Test func otherTextBindsAsText() {
        for text in ["007", "+1", "-0", "1.5", "1e3", " 1", "1 ", "", "9223372036854775808", "N13"] {
            #expect(QueryParameter(name: "a", text: text).value == .text(text), "\(text)")
        }
    }

    @Test func valuesFollowIndexOrder() throws {
        let values = try QueryParameter.values(
            for: [":b", "@a", nil],
            from: [
                QueryParameter(name: "3", value: .null), QueryParameter(name: "a", value: .integer(1)),
                QueryParameter(name: ":b", value: .text("x")),
            ])
        #expect(values == [.text("x"), .integer(1), .null])
    }

    @Test func numberDoesNotBindNamedParameter() {
        let error = #expect(throws: PraaSError.self) {
            try QueryParameter.values(for: [":a"], from: [QueryParameter(name: "1", value: .integer(1))])
        }
        #expect(error?.message == "the query has no parameter '1'; its parameters are ':a'")
    }

    @Test func prefixBindsOnlyThatSpelling() {
        let error = #expect(throws: PraaSError.self) {
            try QueryParameter.values(for: [":a", "@a"], from: [QueryParameter(name: ":a", value: .integer(1))])
        }
        #expect(error?.message == "missing value for parameter '@a'; pass it with --param a VALUE")
    }

    @Test func skippedNumberNeedsValue() {
        let error = #expect(throws: PraaSError.self) {
            try QueryParameter.values(
                for: ["?1", nil, "?3"],
                from: [QueryParameter(name: "1", value: .integer(1)), QueryParameter(name: "?3", value: .integer(3))])
        }
        #expect(error?.message == "missing value for parameter '?2'; pass it with --param 2 VALUE")
    }
}
