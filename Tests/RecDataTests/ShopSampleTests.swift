import Testing

@testable import RecData

/// The default-size sample, generated once for the tests that only read it.
private let shop = Result { () throws(DataError) -> ShopSample in try ShopSample.generate(.init()) }

/// A small size for the tests that generate many times.
private func small(seed: UInt64) -> ShopSample.Parameters {
  ShopSample.Parameters(users: 150, items: 60, events: 3_000, seed: seed)
}

// MARK: - Column helpers

private func strings(_ t: Table, _ name: String) throws -> [String?] {
  let c = try t.requireColumn(name)
  guard case .string(let codes, let dictionary) = c.storage else {
    Issue.record("column \(name) is \(c.type), expected string")
    return []
  }
  return codes.map { $0 < 0 ? nil : dictionary[Int($0)] }
}

private func ints(_ t: Table, _ name: String) throws -> [Int?] {
  let c = try t.requireColumn(name)
  guard case .int(let v) = c.storage else {
    Issue.record("column \(name) is \(c.type), expected int")
    return []
  }
  return v.map { $0 == Column.missingInt ? nil : $0 }
}

private func doubles(_ t: Table, _ name: String) throws -> [Double] {
  let c = try t.requireColumn(name)
  guard case .double(let v) = c.storage else {
    Issue.record("column \(name) is \(c.type), expected double")
    return []
  }
  return v
}

/// What `matches(id, "^U[0-9]{4,}$")` decides: the prefix, then at least four digits.
private func isValidId(_ s: String?, prefix: Character) -> Bool {
  guard let s, s.first == prefix else { return false }
  let digits = s.dropFirst()
  return digits.count >= 4 && digits.allSatisfy { $0 >= "0" && $0 <= "9" }
}

/// The events whose ids are valid, as (user, item, kind, ts, session) with the item's
/// category and price, in `(user, ts)` order: each user's true sequence.
private struct CleanEvent {
  var user: String
  var item: String
  var kind: String
  var ts: Int
  var session: Int
  var category: String
  var price: Double
}

private func cleanEvents(_ s: ShopSample) throws -> [CleanEvent] {
  let itemIds = try strings(s.items, "item")
  let categories = try strings(s.items, "category")
  let prices = try doubles(s.items, "price")
  var itemRow: [String: Int] = [:]
  for (r, id) in itemIds.enumerated() { itemRow[id ?? ""] = r }
  let users = try strings(s.events, "user")
  let items = try strings(s.events, "item")
  let kinds = try strings(s.events, "event")
  let ts = try ints(s.events, "ts")
  let sessions = try ints(s.events, "session")
  var out: [CleanEvent] = []
  for r in 0..<s.events.rowCount {
    guard isValidId(users[r], prefix: "U"), let item = items[r], let row = itemRow[item],
      let user = users[r], let kind = kinds[r], let t = ts[r], let session = sessions[r],
      let category = categories[row]
    else { continue }
    out.append(
      CleanEvent(
        user: user, item: item, kind: kind, ts: t, session: session, category: category, price: prices[row]))
  }
  out.sort { ($0.user, $0.ts, $0.kind) < ($1.user, $1.ts, $1.kind) }
  return out
}

// MARK: - Determinism

@Test func sameSeedGivesIdenticalTables() throws {
  let a = try ShopSample.generate(.init())
  let b = try shop.get()
  #expect(a.users == b.users)
  #expect(a.items == b.items)
  #expect(a.events == b.events)
  #expect(a.lateItems == b.lateItems)
  #expect(a.dirt == b.dirt)
}

@Test(arguments: [1, 2, 3, 7, 99, 12345] as [UInt64])
func sameSeedGivesIdenticalTablesAtSmallSize(seed: UInt64) throws {
  let a = try ShopSample.generate(small(seed: seed))
  let b = try ShopSample.generate(small(seed: seed))
  #expect(a.users == b.users && a.items == b.items && a.events == b.events && a.dirt == b.dirt)
}

@Test func differentSeedsDiffer() throws {
  let a = try shop.get()
  let b = try ShopSample.generate(.init(seed: 43))
  #expect(a.events.rowCount == b.events.rowCount)
  #expect(try strings(a.events, "user") != strings(b.events, "user"))
  #expect(try strings(a.items, "title") != strings(b.items, "title"))
  #expect(try strings(a.users, "segment") != strings(b.users, "segment"))
}

/// Pinned values for seed 42 at the default size: any change to the process (or to the
/// generator, or to the portable math) changes at least one of them. If a change is
/// intended, re-pin them and say so in the commit: notebooks recorded on `sample:shop`
/// change with them.
@Test func fingerprintOfSeed42() throws {
  let s = try shop.get()
  #expect(s.dirt.basePurchases == 7_291)
  #expect(s.dirt.missingRatings == 218)  // 7291 * 3 / 100
  #expect(s.events.row(0).map(\.description) == ["U0111", "P0109", "view", "", "1767225790", "1", "android"])
  #expect(
    s.items.row(0).map(\.description) == [
      "P0001", "Pagehouse Travel Guide Vol. 3", "book", "Pagehouse", "27.99", "bestseller|cooking",
    ])
  #expect(s.users.row(0).map(\.description) == ["U0001", "30", "M", "north", "regular"])
  let ts = try ints(s.events, "ts").compactMap { $0 }
  #expect(ts.reduce(0) { ($0 &* 31 &+ $1) % 1_000_000_007 } == 757_817_997)
  let cents = try doubles(s.items, "price").reduce(0) { $0 + Int(($1 * 100).rounded()) }
  #expect(cents == 10_729_500)
  #expect(s.lateItems.prefix(3) == ["P0008", "P0061", "P0074"])
  let sessions = try ints(s.events, "session").compactMap { $0 }
  #expect(sessions.max() == 13_654)  // the number of sessions
  let purchases = try strings(s.events, "event").filter { $0 == "purchase" }.count
  #expect(purchases == 7_455)  // 7,291 base purchases and 164 duplicated ones
}

// MARK: - Schema

@Test func schemaAndTypes() throws {
  let s = try shop.get()
  #expect(s.users.columnNames == ["user", "age", "gender", "region", "segment"])
  #expect(s.users.columns.map(\.type) == [.string, .int, .string, .string, .string])
  #expect(s.items.columnNames == ["item", "title", "category", "brand", "price", "tags"])
  #expect(s.items.columns.map(\.type) == [.string, .string, .string, .string, .double, .string])
  #expect(s.events.columnNames == ["user", "item", "event", "rating", "ts", "session", "device"])
  #expect(s.events.columns.map(\.type) == [.string, .string, .string, .int, .int, .int, .string])
  #expect(s.users.rowCount == 2_000)
  #expect(s.items.rowCount == 800)
  #expect(s.events.rowCount == 50_000)

  // Ids: U0001...U2000 and P0001...P0800, in order.
  #expect(
    try strings(s.users, "user")
      == (1...2_000).map { "U" + String(repeating: "0", count: 4 - String($0).count) + String($0) })
  #expect(
    try strings(s.items, "item")
      == (1...800).map { "P" + String(repeating: "0", count: 4 - String($0).count) + String($0) })

  #expect(Set(try strings(s.users, "segment")) == ["bargain", "regular", "premium"])
  #expect(Set(try strings(s.users, "gender")) == ["F", "M", "X", nil])
  #expect(Set(try strings(s.users, "region")) == ["north", "south", "east", "west", "central"])
  let ages = try ints(s.users, "age").compactMap { $0 }
  #expect(ages.allSatisfy { (16...85).contains($0) })

  let categories = try strings(s.items, "category").compactMap { $0 }
  #expect(Set(categories) == Set(ShopCatalog.categories.map(\.name)))
  #expect(Set(categories).count == 12)
  for p in try doubles(s.items, "price") {
    // Two decimals, ending in .99.
    #expect(p > 0 && Int((p * 100).rounded()) % 100 == 99)
  }
  for tags in try strings(s.items, "tags") {
    let parts = (tags ?? "").split(separator: "|").map(String.init)
    #expect((1...3).contains(parts.count) && parts == parts.sorted() && Set(parts).count == parts.count)
  }
  let titles = try strings(s.items, "title")
  let brands = try strings(s.items, "brand")
  for (t, b) in zip(titles, brands) { #expect(t?.hasPrefix((b ?? "") + " ") == true) }

  #expect(Set(try strings(s.events, "event")) == ["view", "cart", "purchase"])
  #expect(Set(try strings(s.events, "device")) == ["web", "ios", "android", nil])
  let ts = try ints(s.events, "ts")
  #expect(
    ts.allSatisfy { $0 != nil && $0! >= ShopSample.startTime && $0! < ShopSample.startTime + 90 * 86_400 })
  // Ratings only on purchases.
  let kinds = try strings(s.events, "event")
  let ratings = try ints(s.events, "rating")
  #expect(zip(kinds, ratings).allSatisfy { $0.0 == "purchase" || $0.1 == nil })
}

@Test(
  arguments: [
    (1, 12, 2, 0), (10, 12, 11, 5), (150, 60, 3_000, 1), (2_000, 800, 50_000, 8), (500, 100, 10_001, 3),
    (12_000, 30, 20_000, 2),
  ] as [(Int, Int, Int, UInt64)])
func rowCountsAreExact(users: Int, items: Int, events: Int, seed: UInt64) throws {
  let s = try ShopSample.generate(.init(users: users, items: items, events: events, seed: seed))
  #expect(s.events.rowCount == events)
  #expect(s.users.rowCount == users)
  #expect(s.items.rowCount == items)
  #expect(s.dirt.duplicateRows == events / 50)
  // Every user has at least one event with a valid id or is one of the few broken ones.
  let seen = Set(try strings(s.events, "user").compactMap { $0 })
  let broken = s.dirt.malformedUserIds
  #expect(seen.intersection(try strings(s.users, "user").compactMap { $0 }).count >= users - broken)
  // Ids widen past 9,999.
  if users >= 10_000 { #expect(try strings(s.users, "user").last == "U\(users)") }
}

@Test(
  arguments: [
    (0, 800, 50_000, "users=0"), (100_001, 800, 500_000, "users=100001"), (2_000, 11, 50_000, "items=11"),
    (2_000, 20_001, 50_000, "items=20001"), (2_000, 800, 2_000, "events=2000"),
    (2_000, 800, 10_000_001, "events=10000001"), (100_000, 20_000, 200_000, "users x items"),
  ] as [(Int, Int, Int, String)])
func badParametersAreRejected(users: Int, items: Int, events: Int, mentions: String) {
  #expect {
    _ = try ShopSample.generate(.init(users: users, items: items, events: events))
  } throws: { error in
    guard let e = error as? DataError, case .invalidArgument(let message) = e else { return false }
    return message.contains(mentions)
  }
}

@Test func tablesByName() throws {
  let s = try shop.get()
  #expect(try s.table("events") == s.events)
  #expect(try s.table("items") == s.items)
  #expect(try s.table("users") == s.users)
  #expect(
    throws: DataError.invalidArgument(
      "sample:shop has no table 'evnts' (tables: events, items, users); did you mean 'events'?")
  ) {
    _ = try s.table("evnts")
  }
  #expect(
    throws: DataError.invalidArgument("sample:shop has no table 'basket' (tables: events, items, users)")
  ) {
    _ = try s.table("basket")
  }
}

@Test func minimumEventsIsTheSmallestThatWorks() throws {
  for users in [1, 2, 49, 50, 51, 2_000] {
    let least = ShopSample.minimumEvents(users: users)
    // least - least / 50 >= users, and one fewer does not make it.
    #expect(least - least / 50 >= users)
    #expect((least - 1) - (least - 1) / 50 < users)
  }
  // 2040 - 2040 / 50 = 2000; 2039 - 2039 / 50 = 1999.
  #expect(ShopSample.minimumEvents(users: 2_000) == 2_040)
  #expect(throws: DataError.self) { _ = try ShopSample.generate(.init(users: 2_000, events: 2_039)) }
  #expect(try ShopSample.generate(.init(users: 2_000, events: 2_040)).events.rowCount == 2_040)
}

// MARK: - Dirt

@Test func dirtMatchesTheDocumentedCounts() throws {
  let s = try shop.get()
  let n = 50_000
  let base = n - n / 50
  let d = s.dirt
  #expect(d.duplicateRows == n / 50)
  #expect(d.missingDevices == base / 100)
  #expect(d.malformedUserIds + d.malformedItemIds == base / 1_000)
  #expect(d.missingRatings == d.basePurchases * 3 / 100)
  #expect(d.outOfRangeRatings == base / 500)
  #expect(d.missingAges == 2_000 / 50)
  #expect(d.missingGenders == 2_000 / 100)
  #expect(d.swappedRowPairs == base / 20)

  // The tables hold exactly that dirt.
  let rows = (0..<n).map { s.events.row($0) }
  let adjacentCopies = (1..<n).filter { rows[$0] == rows[$0 - 1] }.count
  #expect(adjacentCopies == d.duplicateRows)
  #expect(try strings(s.events, "device").filter { $0 == nil }.count == d.missingDevices)
  #expect(try strings(s.events, "user").filter { !isValidId($0, prefix: "U") }.count == d.malformedUserIds)
  #expect(try strings(s.events, "item").filter { !isValidId($0, prefix: "P") }.count == d.malformedItemIds)
  let kinds = try strings(s.events, "event")
  let ratings = try ints(s.events, "rating")
  let purchases = kinds.filter { $0 == "purchase" }.count
  let purchaseRatings = zip(kinds, ratings).filter { $0.0 == "purchase" }.map(\.1)
  #expect(purchaseRatings.filter { $0 == nil }.count == d.missingRatings)
  #expect(purchaseRatings.filter { $0 != nil && !(1...5).contains($0!) }.count == d.outOfRangeRatings)
  #expect(Set(purchaseRatings.compactMap { $0 }.filter { !(1...5).contains($0) }) == [0, 6, 9, -1])
  #expect(purchases >= d.basePurchases && purchases <= d.basePurchases + d.duplicateRows)
  #expect(try ints(s.users, "age").filter { $0 == nil }.count == d.missingAges)
  #expect(try strings(s.users, "gender").filter { $0 == nil }.count == d.missingGenders)

  // The documented rates, as fractions of the table.
  #expect(abs(Double(adjacentCopies) / Double(n) - 0.02) < 0.001)
  #expect(abs(Double(d.missingDevices) / Double(n) - 0.01) < 0.001)
  #expect(abs(Double(d.malformedUserIds + d.malformedItemIds) / Double(n) - 0.001) < 0.0002)
  #expect(abs(Double(d.outOfRangeRatings) / Double(n) - 0.002) < 0.0002)

  // Rows are out of time order here and there, but mostly in order.
  let ts = try ints(s.events, "ts").map { $0 ?? 0 }
  let inversions = (1..<n).filter { ts[$0] < ts[$0 - 1] }.count
  #expect(inversions > 1_000 && inversions < n / 10)
}

@Test func malformedIdsComeFromTheDocumentedSet() throws {
  let s = try shop.get()
  let users = try strings(s.events, "user").compactMap { $0 }.filter { !isValidId($0, prefix: "U") }
  #expect(users.contains("") && users.contains("null") && users.contains("U-1"))
  #expect(users.contains { $0.hasSuffix(" ") && isValidId(String($0.dropLast()), prefix: "U") })
  #expect(users.contains { isValidId($0.uppercased(), prefix: "U") && $0.first == "u" })
  let items = try strings(s.events, "item").compactMap { $0 }.filter { !isValidId($0, prefix: "P") }
  #expect(items.contains("P-1") && items.contains("null"))
}

// MARK: - Planted structure

@Test func funnelRatesAreAsDocumented() throws {
  let kinds = try strings(try shop.get().events, "event")
  let n = Double(kinds.count)
  #expect(abs(Double(kinds.filter { $0 == "view" }.count) / n - 0.60) < 0.02)
  #expect(abs(Double(kinds.filter { $0 == "cart" }.count) / n - 0.25) < 0.02)
  #expect(abs(Double(kinds.filter { $0 == "purchase" }.count) / n - 0.15) < 0.02)
}

@Test func everyPurchaseFollowsACartOfItsItemInTheSameSession() throws {
  let events = try cleanEvents(try shop.get())
  var carted: Set<String> = []  // "session item" pairs seen as carts
  var purchases = 0
  var unexplained = 0
  for e in events {
    if e.kind == "cart" { carted.insert("\(e.session) \(e.item)") }
    if e.kind == "purchase" {
      purchases += 1
      if !carted.contains("\(e.session) \(e.item)") { unexplained += 1 }
    }
  }
  // Only a purchase whose cart row had its item id broken is unexplained.
  #expect(purchases > 5_000)
  let d = try shop.get().dirt
  #expect(unexplained <= d.malformedUserIds + d.malformedItemIds)
}

@Test func buyingAPhoneLeadsToPhoneAccessories() throws {
  let events = try cleanEvents(try shop.get())
  // Sessions of each user in time order: (bought a phone / laptop, saw a phone / laptop accessory).
  struct Session {
    var user = ""
    var boughtPhone = false
    var boughtLaptop = false
    var phoneAccessory = false
    var laptopAccessory = false
  }
  var sessions: [Session] = []
  var last = -1
  for e in events {
    if e.session != last {
      sessions.append(Session(user: e.user))
      last = e.session
    }
    if e.kind == "purchase" && e.category == "phone" { sessions[sessions.count - 1].boughtPhone = true }
    if e.kind == "purchase" && e.category == "laptop" { sessions[sessions.count - 1].boughtLaptop = true }
    if e.category == "phone-accessory" { sessions[sessions.count - 1].phoneAccessory = true }
    if e.category == "laptop-accessory" { sessions[sessions.count - 1].laptopAccessory = true }
  }
  var afterPhone = (n: 0, hit: 0)
  var otherwise = (n: 0, hit: 0)
  var afterLaptop = (n: 0, hit: 0)
  var otherwiseLaptop = (n: 0, hit: 0)
  for k in 1..<sessions.count where sessions[k].user == sessions[k - 1].user {
    let hit = sessions[k].phoneAccessory ? 1 : 0
    if sessions[k - 1].boughtPhone {
      afterPhone.n += 1
      afterPhone.hit += hit
    } else {
      otherwise.n += 1
      otherwise.hit += hit
    }
    let laptopHit = sessions[k].laptopAccessory ? 1 : 0
    if sessions[k - 1].boughtLaptop {
      afterLaptop.n += 1
      afterLaptop.hit += laptopHit
    } else {
      otherwiseLaptop.n += 1
      otherwiseLaptop.hit += laptopHit
    }
  }
  let conditional = Double(afterPhone.hit) / Double(afterPhone.n)
  let baseRate = Double(otherwise.hit) / Double(otherwise.n)
  // About 100 sessions follow a phone purchase, so the share has a standard error near 0.05.
  #expect(afterPhone.n > 80)
  #expect(conditional > 0.5)  // 0.6 planted, plus the base rate
  #expect(conditional > 3 * baseRate)
  let laptopConditional = Double(afterLaptop.hit) / Double(afterLaptop.n)
  let laptopBase = Double(otherwiseLaptop.hit) / Double(otherwiseLaptop.n)
  #expect(afterLaptop.n > 50)
  #expect(laptopConditional > 0.5 && laptopConditional > 3 * laptopBase)
}

/// A session keeps to its intent category (0.75 of its new items) and moves to related
/// items, so the next new item of a session shares the previous one's category far more
/// often than two items drawn from the user's whole distribution would.
@Test func sessionsKeepToOneCategory() throws {
  let events = try cleanEvents(try shop.get())
  var same = 0
  var pairs = 0
  var sameAcrossSessions = 0
  var pairsAcrossSessions = 0
  var previous: CleanEvent?
  for e in events where e.kind == "view" {
    defer { previous = e }
    guard let p = previous, p.user == e.user, p.item != e.item else { continue }
    if p.session == e.session {
      pairs += 1
      if p.category == e.category { same += 1 }
    } else {
      pairsAcrossSessions += 1
      if p.category == e.category { sameAcrossSessions += 1 }
    }
  }
  let within = Double(same) / Double(pairs)
  let across = Double(sameAcrossSessions) / Double(pairsAcrossSessions)
  #expect(pairs > 5_000)
  #expect(within > 0.7, "within a session \(within)")
  #expect(within > 2 * across, "within \(within), across sessions \(across)")
}

@Test func premiumUsersBuyDearerItems() throws {
  let s = try shop.get()
  var segmentOf: [String: String] = [:]
  for (u, g) in zip(try strings(s.users, "user"), try strings(s.users, "segment")) { segmentOf[u ?? ""] = g }
  // Mean catalogue price of each category, to compare prices across categories.
  var categorySum: [String: Double] = [:]
  var categoryCount: [String: Int] = [:]
  for (c, p) in zip(try strings(s.items, "category"), try doubles(s.items, "price")) {
    categorySum[c ?? "", default: 0] += p
    categoryCount[c ?? "", default: 0] += 1
  }
  var price: [String: (sum: Double, n: Int)] = [:]
  var relative: [String: (sum: Double, n: Int)] = [:]  // price / its category's mean price
  for e in try cleanEvents(s) where e.kind == "purchase" {
    guard let g = segmentOf[e.user], let sum = categorySum[e.category], let n = categoryCount[e.category]
    else {
      continue
    }
    price[g, default: (0, 0)].sum += e.price
    price[g, default: (0, 0)].n += 1
    relative[g, default: (0, 0)].sum += e.price / (sum / Double(n))
    relative[g, default: (0, 0)].n += 1
  }
  let mean = { (g: String) in price[g, default: (0, 1)].sum / Double(max(price[g, default: (0, 1)].n, 1)) }
  let rel = { (g: String) in relative[g, default: (0, 1)].sum / Double(max(relative[g, default: (0, 1)].n, 1))
  }
  // Seed 42: 299 / 265 / 104 euros; relative 1.54 / 1.11 / 0.65. Category mix (laptops)
  // narrows the gap in euros between premium and regular; relative prices show the taste.
  #expect(mean("premium") > mean("regular"))
  #expect(mean("regular") > 2 * mean("bargain"))
  #expect(rel("premium") > 1.25 * rel("regular"))
  #expect(rel("regular") > 1.4 * rel("bargain"))
}

@Test func popularityIsSkewed() throws {
  let items = try strings(try shop.get().events, "item")
  var counts: [String: Int] = [:]
  for i in items { counts[i ?? "", default: 0] += 1 }
  let sorted = counts.values.sorted(by: >)
  let top = sorted.prefix(80).reduce(0, +)
  #expect(Double(top) / Double(items.count) > 0.4)
}

@Test func activityIsSkewed() throws {
  let users = try strings(try shop.get().events, "user")
  var counts: [String: Int] = [:]
  for u in users where isValidId(u, prefix: "U") { counts[u ?? "", default: 0] += 1 }
  let sorted = counts.values.sorted()
  #expect(sorted.count == 2_000)
  #expect(sorted[500] <= 4)  // a quarter of the users have at most 4 events
  #expect(sorted.last! > 500)  // and the busiest hundreds
}

@Test func ratingsAreMostlyHigh() throws {
  let ratings = try ints(try shop.get().events, "rating").compactMap { $0 }.filter { (1...5).contains($0) }
  let high = ratings.filter { $0 >= 4 }.count
  #expect(Double(high) / Double(ratings.count) > 0.6)
  #expect(Set(ratings) == [1, 2, 3, 4, 5])
}

@Test func lateItemsAppearOnlyInTheLastDays() throws {
  let s = try shop.get()
  #expect(s.lateItems.count == 800 / 20)
  let late = Set(s.lateItems)
  #expect(late.isSubset(of: Set(try strings(s.items, "item").compactMap { $0 })))
  var seen: Set<String> = []
  let items = try strings(s.events, "item")
  let ts = try ints(s.events, "ts")
  for (i, t) in zip(items, ts) where late.contains(i ?? "") {
    #expect(t! >= ShopSample.lateFrom)
    seen.insert(i ?? "")
  }
  #expect(seen.count > late.count / 2)  // most of them do get events
  // Other items are seen from the first days.
  let early = zip(items, ts).filter { $0.1! < ShopSample.startTime + 10 * 86_400 }.count
  #expect(early > 1_000)
}

@Test(arguments: 1...12 as ClosedRange<UInt64>)
func invariantsHoldForManySeeds(seed: UInt64) throws {
  let p = small(seed: seed)
  let s = try ShopSample.generate(p)
  #expect(s.events.rowCount == p.events)
  let late = Set(s.lateItems)
  #expect(late.count == p.items / 20)
  let ts = try ints(s.events, "ts")
  let items = try strings(s.events, "item")
  for (t, i) in zip(ts, items) {
    guard let t else {
      Issue.record("missing ts")
      continue
    }
    #expect(t >= ShopSample.startTime && t < ShopSample.startTime + 90 * 86_400)
    if late.contains(i ?? "") { #expect(t >= ShopSample.lateFrom) }
  }
  #expect(try strings(s.events, "device").filter { $0 == nil }.count == s.dirt.missingDevices)
}
