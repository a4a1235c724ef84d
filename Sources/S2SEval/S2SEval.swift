// S2SEval module.
