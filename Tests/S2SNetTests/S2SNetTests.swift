// S2SNetTests.
