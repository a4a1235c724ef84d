// S2STextTests.
