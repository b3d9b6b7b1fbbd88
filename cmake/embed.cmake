# Turns a BPF text into a C array: cmake -DIN=x.bpf.c -DOUT=x.c -DNAME=sym -P embed.cmake
# The bytes are written as hex so any character of the text survives as is.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "/* generated from ${IN}: do not edit */\nconst char ${NAME}[] = {\n${bytes}0x00};\n")
