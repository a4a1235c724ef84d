#include "s2s_icu.h"
