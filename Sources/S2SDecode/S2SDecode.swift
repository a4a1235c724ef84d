// S2SDecode module.
