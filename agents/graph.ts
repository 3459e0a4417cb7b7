// Builds and compiles the coach graph, and nothing else.
// ask:   START -> retrieve -> select_question -> END
// panel: START -> direct -> (the interview ends: END) -> retrieve -> select_question -> END
// coach: START -> retrieve -> assess -> critique -> rewrite -> drill -> score -> END
import { END, START, StateGraph } from '@langchain/langgraph';
import { CoachState, type CoachStateType } from './state.js';
import { retrieve } from './nodes/retrieve.js';
import { selectQuestion } from './nodes/select_question.js';
import { assess } from './nodes/assess.js';
import { critique } from './nodes/critique.js';
import { rewrite } from './nodes/rewrite.js';
import { drill } from './nodes/drill.js';
import { score } from './nodes/score.js';
import { direct } from './nodes/direct.js';

export const afterRetrieve = (state: CoachStateType): 'select_question' | 'assess' =>
  state.phase === 'ask' ? 'select_question' : 'assess';

/** A panel's question is chosen after its director picks who asks it. */
export const fromStart = (state: CoachStateType): 'direct' | 'retrieve' =>
  state.phase === 'ask' && state.panel ? 'direct' : 'retrieve';

export const afterDirect = (state: CoachStateType): 'retrieve' | typeof END =>
  state.direction?.kind === 'ask' ? 'retrieve' : END;

export function buildCoachGraph() {
  return new StateGraph(CoachState)
    .addNode('retrieve', retrieve)
    .addNode('select_question', selectQuestion)
    .addNode('assess', assess)
    .addNode('critique', critique)
    .addNode('rewrite', rewrite)
    .addNode('drill', drill)
    .addNode('score', score)
    .addNode('direct', direct)
    .addConditionalEdges(START, fromStart, ['direct', 'retrieve'])
    .addConditionalEdges('direct', afterDirect, ['retrieve', END])
    .addConditionalEdges('retrieve', afterRetrieve, ['select_question', 'assess'])
    .addEdge('select_question', END)
    .addEdge('assess', 'critique')
    .addEdge('critique', 'rewrite')
    .addEdge('rewrite', 'drill')
    .addEdge('drill', 'score')
    .addEdge('score', END)
    .compile();
}

export type CoachGraph = ReturnType<typeof buildCoachGraph>;
