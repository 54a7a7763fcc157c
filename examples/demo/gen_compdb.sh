#!/bin/bash
# Regenerate compile_commands.json: one entry per translation unit, with
# paths relative to this folder ("directory": ".").
# usage: ./gen_compdb.sh [CC] [CFLAGS]     (defaults match the Makefile)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
cc=${1:-gcc-12}
cflags=${2:--O1 -g0 -Wall}

{
    echo "["
    first=1
    count=0
    for src in src/*.c; do
        count=$((count + 1))
        obj="obj/$(basename "${src%.c}").o"
        [[ $first -eq 1 ]] || echo ","
        first=0
        printf '  {\n'
        printf '    "directory": ".",\n'
        printf '    "command": "%s %s -Iinclude -c %s -o %s",\n' "$cc" "$cflags" "$src" "$obj"
        printf '    "file": "%s",\n' "$src"
        printf '    "output": "%s"\n' "$obj"
        printf '  }'
    done
    echo
    echo "]"
} > compile_commands.json.tmp
mv compile_commands.json.tmp compile_commands.json
n=$(grep -c '"file"' compile_commands.json)
echo "wrote compile_commands.json ($n entries)"
