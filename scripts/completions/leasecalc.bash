# bash completion for leasecalc(1).
# Installed as share/bash-completion/completions/leasecalc; or: source this file.
#
# Completes commands, options, formats, bases and tags, and the figure keys of the scenario
# on the command line (the bundled one if none is given) for --set, --vary, --out and
# --target: input keys for --set and --vary, computed keys for --out and --target, and
# schedule's columns for its --out.

# Prints the figure keys of a scenario: "inputs" or "outputs".
_leasecalc_keys() {
  local which=$1 scenario=$2 derived=false
  [[ $which == outputs ]] && derived=true
  local -a args=(report --format tsv)
  [[ -n $scenario ]] && args+=("$scenario")
  "${_leasecalc_bin:-leasecalc}" "${args[@]}" 2>/dev/null |
    awk -F'\t' -v d="$derived" 'NR > 1 && $6 == d { print $1 }'
}

_leasecalc() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  _leasecalc_bin=${COMP_WORDS[0]}
  local commands="report explain sweep solve check diff sources simulate tornado schedule update cashflows workbook compare"

  # The command, and the scenario: the first .json word after it that is no option's value,
  # before or after the word being completed.
  local command="" scenario="" i word before
  for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
    ((i == COMP_CWORD)) && continue
    word=${COMP_WORDS[i]}
    before=${COMP_WORDS[i - 1]}
    if [[ -z $command ]]; then
      ((i < COMP_CWORD)) && [[ " $commands " == *" $word "* ]] && command=$word
      continue
    fi
    case $before in
      -o | --output | --samples-out | --scenario) continue ;;
    esac
    if [[ -z $scenario && $word == *.json && $word != -* ]]; then
      scenario=$word
    fi
  done

  if [[ -z $command ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
    return
  fi

  local formats="table csv tsv json md"
  case $command in
    sweep) formats="csv tsv jsonl" ;;
    check) formats="table md json junit tap" ;;
    tornado | simulate) formats="table csv tsv json md svg" ;;
  esac

  # COMP_WORDBREAKS splits KEY=VALUE at '=': after "KEY =" there is only a value to type.
  if [[ $prev == "=" ]]; then
    return
  fi

  # Options that take one of a fixed list of words.
  local choices=""
  case $prev in
    --format) choices=$formats ;;
    --basis) choices="bf16 fp8 hbm-bw units" ;;
    --sort) choices="share rho" ;;
    --legend) choices="full short none" ;;
    --period | --per) choices="month quarter year" ;;
    --by) choices="tenant" ;;
    --tag | --below) choices="exact primary confirmed reported estimate assumption ai-prior" ;;
  esac
  if [[ -n $choices ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
    return
  fi

  case $prev in
    --set | --vary)
      local keys
      keys=$(_leasecalc_keys inputs "$scenario")
      # lease.start and finance.capex_at_start are settable but not figures.
      [[ $prev == --set ]] && keys+=" lease.start finance.capex_at_start"
      mapfile -t COMPREPLY < <(compgen -W "$keys" -- "$cur")
      # KEY= follows for --set and sweep's --vary; solve's --vary is the key alone.
      if [[ ! ($command == solve && $prev == --vary) ]]; then
        compopt -o nospace 2>/dev/null
        COMPREPLY=("${COMPREPLY[@]/%/=}")
      fi
      return
      ;;
    --note | --range | --drop-range)
      # Input keys of the scenario: KEY= for --note and --range, the key alone to drop.
      mapfile -t COMPREPLY < <(compgen -W "$(_leasecalc_keys inputs "$scenario")" -- "$cur")
      if [[ $prev != --drop-range ]]; then
        compopt -o nospace 2>/dev/null
        COMPREPLY=("${COMPREPLY[@]/%/=}")
      fi
      return
      ;;
    --target | --rank)
      mapfile -t COMPREPLY < <(compgen -W "$(_leasecalc_keys outputs "$scenario")" -- "$cur")
      if [[ $command == solve ]]; then
        compopt -o nospace 2>/dev/null
        COMPREPLY=("${COMPREPLY[@]/%/=}")
      fi
      return
      ;;
    --out)
      # A comma-separated list: complete the last key.
      local done_part="" last=$cur
      if [[ $cur == *,* ]]; then
        done_part=${cur%,*},
        last=${cur##*,}
      fi
      local keys
      if [[ $command == schedule ]]; then
        keys="online gpu_hours revenue opex depreciation ebitda ebit cash cumulative_cash pv_cash"
        keys+=" interest principal debt_service balance tax equity_tax equity_cash dscr"
      else
        keys=$(_leasecalc_keys outputs "$scenario")
      fi
      mapfile -t COMPREPLY < <(compgen -P "$done_part" -W "$keys" -- "$last")
      compopt -o nospace 2>/dev/null
      return
      ;;
    --scenario | --notes)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -X '!*.json' -- "$cur"; compgen -d -- "$cur")
      return
      ;;
    -o | --output | --samples-out)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return
      ;;
    --samples | --seed | --threads | --max-rows | --max-samples | --source | --title | --date | --kind | --older-than | --as-of | --rate | --case)
      return
      ;;
  esac

  if [[ $cur == -* ]]; then
    local options="--help"
    case $command in
      report) options+=" --set --case --basis --format -o --output --width --wide --keys --brief" ;;
      explain) options+=" --set --case --basis --format -o --output --width --wide" ;;
      sweep) options+=" --set --case --basis --format -o --output --vary --out --pivot --max-rows --width --wide" ;;
      solve) options+=" --set --case --basis --format -o --output --width --wide --target --vary" ;;
      check) options+=" --set --case --scenario --format -o --output --width --wide" ;;
      diff) options+=" --basis --case --format -o --output --width --wide --notes" ;;
      sources) options+=" --set --case --basis --format -o --output --width --wide --tag --below --source --older-than --as-of --rank --tag-ranges" ;;
      update) options+=" --set --source --title --date --kind --note --range --drop-range --as-of -o --output --in-place --notes --format --width --wide" ;;
      simulate) options+=" --set --case --basis --format -o --output --width --wide --samples --seed --threads --out --samples-out --max-samples --tag-ranges --prob --sensitivity --sort --legend --schedule --period" ;;
      tornado) options+=" --set --case --basis --format -o --output --width --wide --target --tag-ranges" ;;
      schedule) options+=" --set --case --basis --format -o --output --width --wide --period --out --by --flows --equity" ;;
      cashflows) options+=" --rate --per --format -o --output --width --wide" ;;
      workbook) options+=" --set --case --basis -o --output" ;;
      compare) options+=" --cases --out --keys --set --case --basis --format -o --output --width --wide" ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
    return
  fi

  # explain's first argument is a figure key; otherwise, JSON files and directories.
  if [[ $command == explain ]]; then
    local n=0
    for ((i = 1; i < COMP_CWORD; i++)); do
      [[ ${COMP_WORDS[i]} != -* && ${COMP_WORDS[i - 1]} != -* && ${COMP_WORDS[i]} != explain ]] && ((n++))
    done
    if ((n == 0)); then
      mapfile -t COMPREPLY < <(compgen -W "$(_leasecalc_keys outputs "$scenario") $(_leasecalc_keys inputs "$scenario")" -- "$cur")
      return
    fi
  fi
  compopt -o filenames 2>/dev/null
  if [[ $command == cashflows ]]; then  # cash flows: CSV or TSV
    mapfile -t COMPREPLY < <(compgen -f -X '!*.csv' -- "$cur"; compgen -f -X '!*.tsv' -- "$cur"
      compgen -d -- "$cur")
    return
  fi
  mapfile -t COMPREPLY < <(compgen -f -X '!*.json' -- "$cur"; compgen -d -- "$cur")
}

complete -F _leasecalc leasecalc
