// S2SEvalTests.
