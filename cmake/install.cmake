# make install (cmake --install; DESTDIR honoured) and make deb (CPack's
# DEB generator, prefix /usr). Paths are GNUInstallDirs', relative to the
# prefix, so one build serves both. Each install() names its component, one
# Debian package each: tools (bcc-c), lib (libbcc-c0: the shared library
# only), dev (libbcc-c-dev: headers, the .so link, bcc-c.pc, bcc-c(3),
# examples/c); the library's own rules are in CMakeLists.txt.
set(BCC_C_TOOLS uprobe_simple strlen_snoop_simple check_kfunc tcpv4connect_simple
    tcpv4connect_args tcpv4connect unlinksnoop opensnoop_simple bcc-run)
set(BCC_C_LIB_PACKAGE libbcc-c0)
set(BCC_C_DEV_PACKAGE libbcc-c-dev)
install(TARGETS ${BCC_C_TOOLS} RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR} COMPONENT tools)
# a test helper, not a command: off PATH (uprobe_simple finds it there)
install(TARGETS target-sample RUNTIME DESTINATION ${BCC_C_HELPERDIR} COMPONENT tools)
# the embedded texts with the headers they include, so that -f FILE has a
# copy to start from: cp /usr/share/bcc-c/bpf_text/opensnoop_simple.* .
foreach(tool ${BCC_C_TOOLS})
  if(EXISTS ${CMAKE_SOURCE_DIR}/tools/${tool}/${tool}.bpf.c)
    file(GLOB text_headers ${CMAKE_SOURCE_DIR}/tools/${tool}/${tool}.h)
    install(FILES tools/${tool}/${tool}.bpf.c ${text_headers}
            DESTINATION ${CMAKE_INSTALL_DATADIR}/bcc-c/bpf_text COMPONENT tools)
  endif()
endforeach()
file(GLOB BCC_C_EXAMPLE_TEXTS ${CMAKE_SOURCE_DIR}/examples/*.bpf.c)
install(FILES ${BCC_C_EXAMPLE_TEXTS} DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
        COMPONENT tools)
# the C examples document the library: Debian puts a -dev package's
# examples in its own doc directory
install(FILES examples/c/Makefile examples/c/perf_events.c examples/c/uprobe_count.c
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${BCC_C_DEV_PACKAGE}/examples COMPONENT dev)

# tools/<tool>/<tool>.8, written by hand, installed gzipped (Debian policy 12.1);
# tests/unit/man_options.sh checks each one's OPTIONS against the tool's -h
set(man_gz)
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/man ${CMAKE_BINARY_DIR}/packaging)
foreach(tool ${BCC_C_TOOLS})
  set(gz ${CMAKE_BINARY_DIR}/man/${tool}.8.gz)
  add_custom_command(OUTPUT ${gz}
    COMMAND sh -c "gzip -9n -c \"$0\" > \"$1\"" ${CMAKE_SOURCE_DIR}/tools/${tool}/${tool}.8 ${gz}
    DEPENDS ${CMAKE_SOURCE_DIR}/tools/${tool}/${tool}.8
    COMMENT "Compressing tools/${tool}/${tool}.8" VERBATIM)
  list(APPEND man_gz ${gz})
endforeach()
# bcc-c(3), the library's overview, the same way
set(man3_gz ${CMAKE_BINARY_DIR}/man/bcc-c.3.gz)
add_custom_command(OUTPUT ${man3_gz}
  COMMAND sh -c "gzip -9n -c \"$0\" > \"$1\"" ${CMAKE_SOURCE_DIR}/lib/bcc-c.3 ${man3_gz}
  DEPENDS ${CMAKE_SOURCE_DIR}/lib/bcc-c.3
  COMMENT "Compressing lib/bcc-c.3" VERBATIM)
add_custom_target(man_pages ALL DEPENDS ${man_gz} ${man3_gz})
install(FILES ${man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man8 COMPONENT tools)
install(FILES ${man3_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man3 COMPONENT dev)

# Debian's changelog and copyright go with every install, into each
# package's doc directory (lintian wants both in all three)
set(changelog_gz ${CMAKE_BINARY_DIR}/packaging/changelog.Debian.gz)
add_custom_command(OUTPUT ${changelog_gz}
  COMMAND sh -c "gzip -9n -c \"$0\" > \"$1\"" ${CMAKE_SOURCE_DIR}/packaging/deb/changelog
          ${changelog_gz}
  DEPENDS ${CMAKE_SOURCE_DIR}/packaging/deb/changelog
  COMMENT "Compressing packaging/deb/changelog" VERBATIM)
add_custom_target(deb_changelog ALL DEPENDS ${changelog_gz})
install(FILES ${changelog_gz} ${CMAKE_SOURCE_DIR}/packaging/deb/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT tools)
install(FILES ${changelog_gz} ${CMAKE_SOURCE_DIR}/packaging/deb/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${BCC_C_LIB_PACKAGE} COMPONENT lib)
install(FILES ${changelog_gz} ${CMAKE_SOURCE_DIR}/packaging/deb/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${BCC_C_DEV_PACKAGE} COMPONENT dev)

# The packages: make deb runs cpack -G DEB in the build directory, one
# package per component, named and filed as Debian does:
# bcc-c_<version>-1_amd64.deb, libbcc-c0_..., libbcc-c-dev_....
# shlibdeps finds libbcc_bpf.so.0 (libbpfcc), but libbcc.so.0, the
# compiler, is opened with dlopen() on a cache miss and no ELF dependency
# shows it: the explicit Depends names libbpfcc at the version built
# against, which holds both. libbcc compiles against the running kernel's
# headers. The tools link the runtime statically (CMakeLists.txt), so
# bcc-c needs no libbcc-c0.
set(BCC_C_MAINTAINER "bcc-c developers <bcc-c@example.org>" CACHE STRING
    "Maintainer field of the Debian packages")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bcc-c)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL tools lib dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# the Debian revision of packaging/deb/changelog's first entry
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${BCC_C_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(bcc_c_deb_version ${PROJECT_VERSION}-1)

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME bcc-c)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "libbpfcc (>= ${LIBBCC_VERSION})")
set(CPACK_DEBIAN_TOOLS_PACKAGE_RECOMMENDS linux-headers-amd64)
set(CPACK_DEBIAN_TOOLS_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/packaging/deb/postrm)
# CPack indents the lines after the first
set(CPACK_DEBIAN_TOOLS_DESCRIPTION "BCC-compatible tracing tools in C
Tracing tools and bcc-run, a runner for any bcc-dialect BPF C text, written
in C on libbcc: the BPF text is compiled at run time against the kernel's
headers, as Python bcc does, for hosts without BTF, and kept in a compile
cache so that later starts take milliseconds.")

# shlibs from the library's SONAME (libbcc-c 0 libbcc-c0 (>= version)); the
# ldconfig trigger instead of the postinst and postrm CPack writes for a
# library in /usr/lib, which call ldconfig (lintian: maintscript-calls-
# ldconfig): naming the two here, absent, keeps CPack from writing them.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_LIB_PACKAGE_NAME ${BCC_C_LIB_PACKAGE})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIB_PACKAGE_DEPENDS "libbpfcc (>= ${LIBBCC_VERSION})")
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/deb/${BCC_C_LIB_PACKAGE}/triggers
    ${CMAKE_SOURCE_DIR}/packaging/deb/${BCC_C_LIB_PACKAGE}/postinst
    ${CMAKE_SOURCE_DIR}/packaging/deb/${BCC_C_LIB_PACKAGE}/postrm)
set(CPACK_DEBIAN_LIB_DESCRIPTION "runtime for BCC-style tracing tools in C
libbcc-c compiles bcc-dialect BPF C text with libbcc, keeps it in a compile
cache, attaches probes and reads tables, perf and ring buffers and
trace_pipe. This package holds the shared library; libbcc-c-dev is what
building a program on it needs.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME ${BCC_C_DEV_PACKAGE})
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${BCC_C_LIB_PACKAGE} (= ${bcc_c_deb_version})")
set(CPACK_DEBIAN_DEV_DESCRIPTION "runtime for BCC-style tracing tools in C (development files)
The headers of libbcc-c (bcc-c/*.h), the libbcc-c.so link, bcc-c.pc for
pkg-config, the bcc-c(3) overview page and two complete example programs.")
include(CPack)
