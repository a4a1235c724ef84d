// S2SNet module.
