import Testing

@Test func placeholderRecDataTests() {}
