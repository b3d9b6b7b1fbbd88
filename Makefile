# Thin wrapper so users type make, make demo, make check.
BUILD ?= build
JOBS ?= $(shell nproc)
# make alone builds for users; the test targets build as CI and developers
# do: warnings are errors, unit tests run under ASan and UBSan (docs/install.md)
DEV_FLAGS = -DBCC_C_WERROR=ON -DBCC_C_SANITIZE=ON

.PHONY: all setup demo check unit live lab reliability fuzz bench install deb clean

check unit live lab reliability: CMAKE_FLAGS += $(DEV_FLAGS)

all:
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

setup:
	@scripts/setup-host

demo: setup all
	@scripts/demo $(BUILD)/bin

check: setup all
	@cd $(BUILD) && ctest --output-on-failure

unit: all
	@cd $(BUILD) && ctest --output-on-failure -L unit

live: setup all
	@cd $(BUILD) && ctest --output-on-failure -L live

lab: setup all
	@cd $(BUILD) && ctest --output-on-failure -L lab

reliability: setup all
	@cd $(BUILD) && ctest --output-on-failure -L reliability

fuzz: setup
	@FUZZ_MERGE=1 tests/fuzz/run $${FUZZ_SECONDS:-300}

bench: setup all
	@/usr/bin/python3 bench/run.py $(BUILD)

# docs/install.md. PREFIX (default /usr/local) and DESTDIR as usual.
install: all
	@DESTDIR=$(DESTDIR) cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))

# bcc-c_<version>_amd64.deb, libbcc-c0_... and libbcc-c-dev_... here,
# built by CPack (cmake/install.cmake)
DEBS = bcc-c_*.deb libbcc-c0_*.deb libbcc-c-dev_*.deb
deb: all
	@cd $(BUILD) && rm -f $(DEBS)
	@cd $(BUILD) && cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; exit 1; }
	@rm -f $(DEBS)
	@cp $(addprefix $(BUILD)/,$(DEBS)) .
	@ls $(DEBS)

clean:
	rm -rf $(BUILD)
