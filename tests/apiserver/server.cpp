// Placeholder until the test API server lands.
#include "apiserver/test_apiserver.h"
