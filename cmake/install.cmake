# make install (cmake --install; DESTDIR honoured) and make deb (CPack's
# DEB generator, prefix /usr). Paths are GNUInstallDirs', relative to the
# prefix, so one build serves both.
set(BCC_C_TOOLS uprobe_simple strlen_snoop_simple check_kfunc tcpv4connect_simple
    tcpv4connect_args tcpv4connect unlinksnoop opensnoop_simple bcc-run)
install(TARGETS ${BCC_C_TOOLS} RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
# a test helper, not a command: off PATH (uprobe_simple finds it there)
install(TARGETS target-sample RUNTIME DESTINATION ${BCC_C_HELPERDIR})
# the embedded texts with the headers they include, so that -f FILE has a
# copy to start from: cp /usr/share/bcc-c/bpf_text/opensnoop_simple.* .
install(DIRECTORY bpf_text/ DESTINATION ${CMAKE_INSTALL_DATADIR}/bcc-c/bpf_text
        FILES_MATCHING PATTERN "*.bpf.c" PATTERN "*.h")
file(GLOB BCC_C_EXAMPLE_TEXTS ${CMAKE_SOURCE_DIR}/examples/*.bpf.c)
install(FILES ${BCC_C_EXAMPLE_TEXTS} DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# man/<tool>.8, written by hand, installed gzipped (Debian policy 12.1);
# tests/unit/man_options.sh checks each one's OPTIONS against the tool's -h
set(man_gz)
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/man ${CMAKE_BINARY_DIR}/packaging)
foreach(tool ${BCC_C_TOOLS})
  set(gz ${CMAKE_BINARY_DIR}/man/${tool}.8.gz)
  add_custom_command(OUTPUT ${gz}
    COMMAND sh -c "gzip -9n -c \"$0\" > \"$1\"" ${CMAKE_SOURCE_DIR}/man/${tool}.8 ${gz}
    DEPENDS ${CMAKE_SOURCE_DIR}/man/${tool}.8
    COMMENT "Compressing man/${tool}.8" VERBATIM)
  list(APPEND man_gz ${gz})
endforeach()
add_custom_target(man_pages ALL DEPENDS ${man_gz})
install(FILES ${man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)

# Debian's changelog and copyright go with every install, the package's
# doc directory being the same
set(changelog_gz ${CMAKE_BINARY_DIR}/packaging/changelog.Debian.gz)
add_custom_command(OUTPUT ${changelog_gz}
  COMMAND sh -c "gzip -9n -c \"$0\" > \"$1\"" ${CMAKE_SOURCE_DIR}/packaging/deb/changelog
          ${changelog_gz}
  DEPENDS ${CMAKE_SOURCE_DIR}/packaging/deb/changelog
  COMMENT "Compressing packaging/deb/changelog" VERBATIM)
add_custom_target(deb_changelog ALL DEPENDS ${changelog_gz})
install(FILES ${changelog_gz} ${CMAKE_SOURCE_DIR}/packaging/deb/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The package: make deb runs cpack -G DEB in the build directory. shlibdeps
# finds libbcc_bpf.so.0 (libbpfcc), but libbcc.so.0, the compiler, is
# opened with dlopen() on a cache miss and no ELF dependency shows it: the
# explicit Depends names libbpfcc at the version built against, which
# holds both. libbcc compiles against the running kernel's headers.
set(BCC_C_MAINTAINER "bcc-c developers <bcc-c@example.org>" CACHE STRING
    "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bcc-c)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# the Debian revision of packaging/deb/changelog's first entry
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${BCC_C_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libbpfcc (>= ${LIBBCC_VERSION})")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS linux-headers-amd64)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/packaging/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# CPack indents the lines after the first
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "BCC-compatible tracing tools in C
Tracing tools and bcc-run, a runner for any bcc-dialect BPF C text, written
in C on libbcc: the BPF text is compiled at run time against the kernel's
headers, as Python bcc does, for hosts without BTF, and kept in a compile
cache so that later starts take milliseconds.")
include(CPack)
