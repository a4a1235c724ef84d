// S2SText module.
