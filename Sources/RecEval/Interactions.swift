import RecData

/// Interaction data: events (user, item, and optionally rating, time, weight) encoded as
/// dense indices, with CSR storage by user and by item.
///
/// Implicit feedback (no `rating`: every event is a positive, weighted by `weight` if given)
/// and explicit ratings are both first-class. Several `Interactions` can share one pair of
/// id maps (train, test and validation of a split do), so a dense index means the same user
/// or item in all of them and items that only occur in test still have an index.
public struct Interactions: Sendable {
  /// The user id map (dense index <-> raw id).
  public let users: IDMap
  /// The item id map; its size is the catalogue every full ranking covers.
  public let items: IDMap
  /// The columns the events came from (kept so a split can be shown as tables again).
  public let roles: InteractionRoles
  /// Per-event dense user index: `(count)`.
  public let user: [Int32]
  /// Per-event dense item index: `(count)`.
  public let item: [Int32]
  /// Per-event rating, if the data are explicit.
  public let rating: [Double]?
  /// Per-event time (numeric), if given.
  public let time: [Double]?
  /// Per-event weight, if given.
  public let weight: [Double]?
  /// Events by user: row = user, columns = items (ascending).
  public let byUser: CSR
  /// Events by item: row = item, columns = users (ascending).
  public let byItem: CSR

  /// Events from arrays over shared maps (indices must be in range: a programmer invariant).
  public init(
    users: IDMap, items: IDMap, roles: InteractionRoles, user: [Int32], item: [Int32],
    rating: [Double]? = nil,
    time: [Double]? = nil, weight: [Double]? = nil
  ) {
    precondition(user.count == item.count)
    self.users = users
    self.items = items
    self.roles = roles
    self.user = user
    self.item = item
    self.rating = rating
    self.time = time
    self.weight = weight
    byUser = CSR(rows: user, columns: item, rowCount: users.count, columnCount: items.count)
    byItem = CSR(rows: item, columns: user, rowCount: items.count, columnCount: users.count)
  }

  /// Interaction data from one table.
  public init(table: Table, roles: InteractionRoles, tableName: String = "") throws(EvalError) {
    let all = try Interactions.build(tables: [(tableName, table)], roles: roles)
    self = all[0]
  }

  /// Interaction data from several tables (say, prepared train and test files) over one
  /// pair of id maps, built from the union of their ids.
  public static func build(tables: [(name: String, table: Table)], roles: InteractionRoles) throws(EvalError)
    -> [Interactions]
  {
    func idColumns(_ role: String, _ name: String) throws(EvalError) -> [Column] {
      var cols = [Column]()
      for (tname, t) in tables {
        guard let c = t.column(name) else {
          throw .unknownColumn(
            role: role, name: name, table: tname, suggestions: Suggest.closest(to: name, in: t.columnNames))
        }
        if c.type == .double {
          throw .badColumnType(role: role, name: name, found: .double, expected: "int or string ids")
        }
        if c.missingCount > 0 {
          let row = (0..<c.count).first { c.isMissing($0) } ?? 0
          throw .missingValue(role: role, name: name, row: row + 1)
        }
        cols.append(c)
      }
      return cols
    }
    func map(_ role: String, _ cols: [Column]) throws(EvalError) -> IDMap {
      var ints = [Int]()
      var strings = [String]()
      var sawInt = false
      var sawString = false
      for c in cols {
        switch c.storage {
        case .int(let v):
          sawInt = true
          ints.append(contentsOf: v)
        case .string(let codes, let dict):
          sawString = true
          // Only the codes in use: a filtered table keeps its whole dictionary.
          var used = [Bool](repeating: false, count: dict.count)
          for code in codes { used[Int(code)] = true }
          for (i, s) in dict.enumerated() where used[i] { strings.append(s) }
        case .double: break
        }
      }
      if sawInt && sawString { throw .mixedIDTypes(role: role) }
      return sawString ? IDMap(strings: strings) : IDMap(ints: ints)
    }
    func indices(_ c: Column, _ m: IDMap) -> [Int32] {
      switch c.storage {
      case .int(let v): return v.map { Int32(m.index(of: .int($0)) ?? 0) }
      case .string(let codes, let dict):
        // Translate each dictionary entry once, then every code.
        let t = dict.map { Int32(m.index(of: .string($0)) ?? 0) }
        return codes.map { t[Int($0)] }
      case .double: return []
      }
    }
    func numbers(_ role: String, _ name: String?, _ t: Table, _ tname: String) throws(EvalError) -> [Double]?
    {
      guard let name else { return nil }
      guard let c = t.column(name) else {
        throw .unknownColumn(
          role: role, name: name, table: tname, suggestions: Suggest.closest(to: name, in: t.columnNames))
      }
      guard let d = c.doubles else {
        throw .badColumnType(role: role, name: name, found: c.type, expected: "a numeric column")
      }
      if let bad = d.firstIndex(where: { $0.isNaN }) {
        throw .missingValue(role: role, name: name, row: bad + 1)
      }
      return d
    }
    let userCols = try idColumns("user", roles.user)
    let itemCols = try idColumns("item", roles.item)
    let users = try map("user", userCols)
    let items = try map("item", itemCols)
    var out = [Interactions]()
    for (k, (tname, t)) in tables.enumerated() {
      let rating = try numbers("rating", roles.rating, t, tname)
      let time = try numbers("time", roles.time, t, tname)
      let weight = try numbers("weight", roles.weight, t, tname)
      out.append(
        Interactions(
          users: users, items: items, roles: roles, user: indices(userCols[k], users),
          item: indices(itemCols[k], items), rating: rating, time: time, weight: weight))
    }
    return out
  }

  /// How many events.
  public var count: Int { user.count }
  /// Users in the map (including users without events here).
  public var userCount: Int { users.count }
  /// Items in the map: the catalogue.
  public var itemCount: Int { items.count }
  /// Whether events carry ratings (explicit feedback).
  public var isExplicit: Bool { rating != nil }

  /// The events at `rows`, in that order, over the same maps.
  public func subset(_ rows: [Int]) -> Interactions {
    Interactions(
      users: users, items: items, roles: roles, user: rows.map { user[$0] }, item: rows.map { item[$0] },
      rating: rating.map { r in rows.map { r[$0] } }, time: time.map { t in rows.map { t[$0] } },
      weight: weight.map { w in rows.map { w[$0] } })
  }

  /// These events followed by `other`'s (same maps: a programmer invariant).
  public func appending(_ other: Interactions) -> Interactions {
    precondition(users == other.users && items == other.items)
    func join(_ a: [Double]?, _ b: [Double]?) -> [Double]? {
      guard let a, let b else { return nil }
      return a + b
    }
    return Interactions(
      users: users, items: items, roles: roles, user: user + other.user, item: item + other.item,
      rating: join(rating, other.rating), time: join(time, other.time), weight: join(weight, other.weight))
  }

  /// How many distinct users have at least one event.
  public var activeUserCount: Int { (0..<userCount).reduce(0) { $0 + (byUser.count(ofRow: $1) > 0 ? 1 : 0) } }
  /// How many distinct items have at least one event.
  public var activeItemCount: Int { (0..<itemCount).reduce(0) { $0 + (byItem.count(ofRow: $1) > 0 ? 1 : 0) } }

  /// The events as a table with raw ids, in event order (columns named after the roles).
  public func table() -> Table {
    var cols: [(String, Column)] = [(roles.user, users.column(user)), (roles.item, items.column(item))]
    if let r = rating, let n = roles.rating { cols.append((n, Column(doubles: r))) }
    if let t = time, let n = roles.time {
      // Integral times (Unix seconds) go back to an int column.
      let integral = t.allSatisfy { $0 == $0.rounded() && abs($0) < 9e15 }
      cols.append((n, integral ? Column(ints: t.map { Int($0) }) : Column(doubles: t)))
    }
    if let w = weight, let n = roles.weight { cols.append((n, Column(doubles: w))) }
    return Table(columns: cols)
  }
}
