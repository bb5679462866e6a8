import Testing

@Test func placeholderRecNNTests() {}
