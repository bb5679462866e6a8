import Testing
@testable import RecData
