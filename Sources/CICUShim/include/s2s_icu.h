// placeholder, replaced by the ICU shim
