#include "trace/trace-hw_mvemu.h"
