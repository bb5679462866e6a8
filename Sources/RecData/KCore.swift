/// What ``Table/kcore(user:item:minUser:minItem:)`` did.
public struct KCoreReport: Sendable, Equatable {
  public var usersBefore: Int
  public var itemsBefore: Int
  public var rowsBefore: Int
  public var usersAfter: Int
  public var itemsAfter: Int
  public var rowsAfter: Int
  /// Removal rounds: each round removes every user and item below its minimum at the
  /// start of the round; a table that already meets both minimums takes 0 rounds.
  public var iterations: Int

  public init(
    usersBefore: Int, itemsBefore: Int, rowsBefore: Int, usersAfter: Int, itemsAfter: Int, rowsAfter: Int,
    iterations: Int
  ) {
    self.usersBefore = usersBefore
    self.itemsBefore = itemsBefore
    self.rowsBefore = rowsBefore
    self.usersAfter = usersAfter
    self.itemsAfter = itemsAfter
    self.rowsAfter = rowsAfter
    self.iterations = iterations
  }
}

extension Table {
  /// The k-core of the user-item interactions: the largest subset of rows in which
  /// every user has at least `minUser` rows and every item at least `minItem` rows.
  ///
  /// Rows count as interactions as they are (repeated user-item pairs count each
  /// time; dedupe first to count distinct items). Rows with a missing user or item
  /// are removed. Kept rows stay in table order.
  ///
  /// Peeling, as in Batagelj and Zaversnik's core decomposition: rows are bucketed by
  /// user and by item (CSR), and removing a user walks only its own rows, lowering the
  /// counts of their items and queueing the items that fall below the minimum for the
  /// next round, and likewise for items. The result is unique (the maximal subset),
  /// whatever the removal order.
  /// - Complexity: O(rows + users + items), each row removed once.
  public func kcore(user: String, item: String, minUser: Int, minItem: Int) throws(DataError)
    -> (Table, KCoreReport)
  {
    let userColumn = try requireColumn(user)
    let itemColumn = try requireColumn(item)
    if minUser < 1 || minItem < 1 {
      throw .invalidArgument("kcore minimums must be at least 1 (got user \(minUser), item \(minItem))")
    }
    let n = rowCount
    let users = KeyCodes(userColumn)
    let items = KeyCodes(itemColumn)
    var alive = [Bool](repeating: true, count: n)
    var userCount = users.counts()
    var itemCount = items.counts()
    var rowsAlive = n
    // Rows with a missing key go first; they never count towards anyone's minimum.
    for r in 0..<n where users.isMissing[Int(users.codes[r])] || items.isMissing[Int(items.codes[r])] {
      alive[r] = false
      rowsAlive -= 1
      userCount[Int(users.codes[r])] -= 1
      itemCount[Int(items.codes[r])] -= 1
    }
    let usersBefore = users.isMissing.indices.count { !users.isMissing[$0] }
    let itemsBefore = items.isMissing.indices.count { !items.isMissing[$0] }
    let byUser = CSRIndex(codes: users.codes, groupCount: users.groupCount)
    let byItem = CSRIndex(codes: items.codes, groupCount: items.groupCount)
    var userGone = users.isMissing
    var itemGone = items.isMissing
    var userWave: [Int] = []
    var itemWave: [Int] = []
    for u in 0..<users.groupCount where !userGone[u] && userCount[u] < minUser {
      userGone[u] = true
      userWave.append(u)
    }
    for i in 0..<items.groupCount where !itemGone[i] && itemCount[i] < minItem {
      itemGone[i] = true
      itemWave.append(i)
    }
    var rounds = 0
    while !userWave.isEmpty || !itemWave.isEmpty {
      rounds += 1
      var nextUsers: [Int] = []
      var nextItems: [Int] = []
      for u in userWave {
        for p in byUser.offsets[u]..<byUser.offsets[u + 1] {
          let r = Int(byUser.rows[p])
          guard alive[r] else { continue }
          alive[r] = false
          rowsAlive -= 1
          let i = Int(items.codes[r])
          itemCount[i] -= 1
          if !itemGone[i] && itemCount[i] < minItem {
            itemGone[i] = true
            nextItems.append(i)
          }
        }
      }
      for i in itemWave {
        for p in byItem.offsets[i]..<byItem.offsets[i + 1] {
          let r = Int(byItem.rows[p])
          guard alive[r] else { continue }
          alive[r] = false
          rowsAlive -= 1
          let u = Int(users.codes[r])
          userCount[u] -= 1
          if !userGone[u] && userCount[u] < minUser {
            userGone[u] = true
            nextUsers.append(u)
          }
        }
      }
      // Items queued by this round's users are removed in the next round, with the
      // users this round's items pushed below their minimum.
      userWave = nextUsers
      itemWave = nextItems
    }
    let report = KCoreReport(
      usersBefore: usersBefore, itemsBefore: itemsBefore, rowsBefore: n,
      usersAfter: userGone.count { !$0 }, itemsAfter: itemGone.count { !$0 }, rowsAfter: rowsAlive,
      iterations: rounds)
    return (rowsAlive == n ? self : filtering(alive), report)
  }
}
