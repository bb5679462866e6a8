// GNU readline for Swift. readline.h uses FILE without including <stdio.h>,
// so stdio comes first (PLATFORM.md).
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
