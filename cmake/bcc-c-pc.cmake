# Writes bcc-c.pc at install time, so the prefix is the one installed to
# (cmake --install --prefix DIR), not the one configured. DESTDIR is not
# part of it, as a package's .pc must name where the files end up.
set(BCC_C_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
configure_file(${IN} ${OUT} @ONLY)
