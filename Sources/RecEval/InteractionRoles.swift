/// Which columns of a table play which part in interaction data.
///
/// `user` and `item` are required (int or string ids); `rating` (numeric) makes the data
/// explicit feedback; `time` (numeric, e.g. Unix seconds) enables time-based splits;
/// `weight` (numeric) weighs implicit positives. Without `rating`, every row is one positive.
public struct InteractionRoles: Sendable, Equatable {
  public var user: String
  public var item: String
  public var rating: String?
  public var time: String?
  public var weight: String?

  public init(
    user: String = "user", item: String = "item", rating: String? = nil, time: String? = nil,
    weight: String? = nil
  ) {
    self.user = user
    self.item = item
    self.rating = rating
    self.time = time
    self.weight = weight
  }
}
