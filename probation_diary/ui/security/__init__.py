# The window's title mark for an unencrypted diary: here, so that the window's start can
# show it without importing the security tools, which install after the first paint (issue 18).
UNENCRYPTED_MARK = " (UNENCRYPTED)"
