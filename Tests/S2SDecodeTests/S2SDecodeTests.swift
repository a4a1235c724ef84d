// S2SDecodeTests.
