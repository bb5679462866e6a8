import Testing

@Test func placeholderRecTermTests() {}
