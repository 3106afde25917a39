// Placeholder until the test API server lands.
int main() { return 2; }
